namespace AetherEdge.Core.Gatt
{
    using AetherEdge.Core.Devices;
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Manufacturer-specific data a BLE node puts in its scan response (the advertising PDU itself holds
    /// the flags and the 128-bit service UUID: 3 + 18 of its 31 bytes). Layout (14 bytes):
    /// company id 0xFFFF little-endian (2, Bluetooth SIG's id for tests/unassigned) | format 1 |
    /// device kind | node id (4, BE) | allocation in MiB (4, BE) | battery: bits 0–6 percent, bit 7
    /// plugged in | flags: bit 0 accepts bulk (battery rule), bit 1 no battery (mains only: the battery byte then
    /// says 100 % plugged in and means nothing more), bits 2–7 zero.
    /// The seed sent the allocation as 8 bytes of bytes; MiB in 4 bytes covers 4 PiB and fits.
    /// </summary>
    public sealed class BeaconAdvertisement
    {
        /// <summary>Encoded length.</summary>
        public const int Length = 14;

        /// <summary>Company identifier 0xFFFF (no company; for tests and unassigned use).</summary>
        public const int CompanyId = 0xFFFF;

        /// <summary>Format version.</summary>
        public const int Format = 1;

        /// <summary>Flag: the node relays and caches bulk data now.</summary>
        public const int FlagAcceptsBulk = 0x01;

        /// <summary>Flag: the node has no battery (no cell fitted, or a mains-only device).</summary>
        public const int FlagNoBattery = 0x02;

        private const int KnownFlags = FlagAcceptsBulk | FlagNoBattery;

        private const long Mebibyte = 1024L * 1024L;

        /// <summary>Device kind.</summary>
        public DeviceKind Kind;

        /// <summary>Router node id.</summary>
        public uint NodeId;

        /// <summary>Shard allocation in bytes (sent in whole MiB, rounded down).</summary>
        public long AllocationBytes;

        /// <summary>Charge 0..100.</summary>
        public int BatteryPercent;

        /// <summary>External power connected.</summary>
        public bool PluggedIn;

        /// <summary>The node currently relays and caches bulk data.</summary>
        public bool AcceptsBulk;

        /// <summary>The node has no battery: <see cref="BatteryPercent"/> is not a charge.</summary>
        public bool NoBattery;

        /// <summary>Encodes into <paramref name="destination"/>; false when it does not fit.</summary>
        public bool TryWrite(byte[] destination, int offset, out int written)
        {
            written = 0;
            if (destination.Length - offset < Length)
            {
                return false;
            }

            long mib = AllocationBytes / Mebibyte;
            if (mib > uint.MaxValue)
            {
                mib = uint.MaxValue;
            }

            int percent = BatteryPercent < 0 ? 0 : (BatteryPercent > BatteryStatus.MaxPercent ? BatteryStatus.MaxPercent : BatteryPercent);
            destination[offset] = (byte)(CompanyId & 0xFF);
            destination[offset + 1] = (byte)(CompanyId >> 8);
            destination[offset + 2] = Format;
            destination[offset + 3] = (byte)Kind;
            NetworkOrder.WriteUInt32(destination, offset + 4, NodeId);
            NetworkOrder.WriteUInt32(destination, offset + 8, (uint)mib);
            destination[offset + 12] = (byte)(percent | (PluggedIn ? 0x80 : 0));
            destination[offset + 13] = (byte)((AcceptsBulk ? FlagAcceptsBulk : 0) | (NoBattery ? FlagNoBattery : 0));
            written = Length;
            return true;
        }

        /// <summary>Decodes manufacturer data of exactly <paramref name="length"/> bytes.</summary>
        public static BeaconAdvertisement Parse(byte[] buffer, int offset, int length)
        {
            if (length != Length)
            {
                throw new ProtocolViolationException("beacon advertisement: " + length + " bytes, expected " + Length);
            }

            int company = buffer[offset] | (buffer[offset + 1] << 8);
            if (company != CompanyId)
            {
                throw new ProtocolViolationException("beacon advertisement: company id 0x" + company.ToString("X4") + ", expected 0xFFFF");
            }

            if (buffer[offset + 2] != Format)
            {
                throw new ProtocolViolationException("beacon advertisement: format " + buffer[offset + 2] + ", expected " + Format);
            }

            int kind = buffer[offset + 3];
            if (kind > (int)DeviceKind.Beacon)
            {
                throw new ProtocolViolationException("beacon advertisement: unknown device kind " + kind);
            }

            int battery = buffer[offset + 12];
            if ((battery & 0x7F) > BatteryStatus.MaxPercent)
            {
                throw new ProtocolViolationException("beacon advertisement: battery " + (battery & 0x7F) + " % over 100");
            }

            int flags = buffer[offset + 13];
            if ((flags & ~KnownFlags) != 0)
            {
                throw new ProtocolViolationException("beacon advertisement: reserved flag bits set (0x" + flags.ToString("X2") + ")");
            }

            BeaconAdvertisement ad = new BeaconAdvertisement();
            ad.Kind = (DeviceKind)kind;
            ad.NodeId = NetworkOrder.ReadUInt32(buffer, offset + 4);
            ad.AllocationBytes = NetworkOrder.ReadUInt32(buffer, offset + 8) * Mebibyte;
            ad.BatteryPercent = battery & 0x7F;
            ad.PluggedIn = (battery & 0x80) != 0;
            ad.AcceptsBulk = (flags & FlagAcceptsBulk) != 0;
            ad.NoBattery = (flags & FlagNoBattery) != 0;
            return ad;
        }
    }
}
