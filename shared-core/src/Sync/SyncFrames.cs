using System;

namespace AetherEdge.Core.Sync
{
    /// <summary>Hello: protocol version and the device profile the planner needs.</summary>
    public sealed class HelloFrame : SyncFrame
    {
        /// <summary>Flag: external power connected.</summary>
        public const int FlagPluggedIn = 1;

        /// <summary>Flag: Wi-Fi or wired LAN link is up.</summary>
        public const int FlagWifiConnected = 2;

        /// <summary>Flag: runs 24/7.</summary>
        public const int FlagAlwaysOn = 4;

        /// <summary>Flag: owner forbids cellular sync.</summary>
        public const int FlagWifiOnly = 8;

        /// <summary>Flag: the device has no battery (its percent is a placeholder, not a charge: shown as "no battery").</summary>
        public const int FlagNoBattery = 16;

        /// <summary>Creates a Hello.</summary>
        public HelloFrame(int protocolVersion, int kind, long allocationBytes, long usedBytes, int batteryPercent, int flags, string name)
            : base(SyncFrameType.Hello)
        {
            if (protocolVersion < 0 || protocolVersion > 255 || kind < 0 || kind > 255 || flags < 0 || flags > 255)
            {
                throw new ArgumentOutOfRangeException("protocolVersion");
            }

            if (batteryPercent < 0 || batteryPercent > 100 || allocationBytes < 0 || usedBytes < 0)
            {
                throw new ArgumentOutOfRangeException("batteryPercent");
            }

            NameBytes = WireFormat.Utf8(name, SyncLimits.MaxNameBytes);
            ProtocolVersion = protocolVersion;
            Kind = kind;
            AllocationBytes = allocationBytes;
            UsedBytes = usedBytes;
            BatteryPercent = batteryPercent;
            Flags = flags;
            Name = name;
        }

        /// <summary>Highest protocol version the sender speaks.</summary>
        public int ProtocolVersion { get; }

        /// <summary>DeviceKind value.</summary>
        public int Kind { get; }

        /// <summary>Quota for shards.</summary>
        public long AllocationBytes { get; }

        /// <summary>Bytes of shards held.</summary>
        public long UsedBytes { get; }

        /// <summary>State of charge 0..100.</summary>
        public int BatteryPercent { get; }

        /// <summary>Flag bits (FlagPluggedIn ...).</summary>
        public int Flags { get; }

        /// <summary>Human-readable device name.</summary>
        public string Name { get; }

        internal byte[] NameBytes { get; }

        /// <summary>True when <paramref name="flag"/> is set.</summary>
        public bool Has(int flag)
        {
            return (Flags & flag) != 0;
        }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 4 + 16 + 1 + NameBytes.Length; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            b[o] = (byte)ProtocolVersion;
            b[o + 1] = (byte)Kind;
            b[o + 2] = (byte)Flags;
            b[o + 3] = (byte)BatteryPercent;
            WireFormat.WriteInt64(b, o + 4, AllocationBytes);
            WireFormat.WriteInt64(b, o + 12, UsedBytes);
            WireFormat.WriteBytes8(b, o + 20, NameBytes);
        }
    }

    /// <summary>Inventory: part of the sender's item list; Final marks the last part.</summary>
    public sealed class InventoryFrame : SyncFrame
    {
        /// <summary>Creates an inventory part.</summary>
        public InventoryFrame(InventoryEntry[] entries, bool final)
            : base(SyncFrameType.Inventory)
        {
            if (entries.Length > SyncLimits.MaxInventoryEntriesPerFrame)
            {
                throw new ArgumentException("at most " + SyncLimits.MaxInventoryEntriesPerFrame + " entries per inventory frame");
            }

            Entries = entries;
            Final = final;
        }

        /// <summary>Entries of this part.</summary>
        public InventoryEntry[] Entries { get; }

        /// <summary>True on the last part.</summary>
        public bool Final { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get
            {
                int n = 3;
                for (int i = 0; i < Entries.Length; i++)
                {
                    n += 1 + 1 + Entries[i].Id.Length + 8;
                }

                return n;
            }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            b[o] = (byte)(Final ? 1 : 0);
            WireFormat.WriteUInt16(b, o + 1, Entries.Length);
            o += 3;
            for (int i = 0; i < Entries.Length; i++)
            {
                b[o++] = (byte)Entries[i].Kind;
                o = WireFormat.WriteAscii8(b, o, Entries[i].Id);
                WireFormat.WriteInt64(b, o, Entries[i].Length);
                o += 8;
            }
        }
    }

    /// <summary>Want: items the sender asks for, each with a resume offset.</summary>
    public sealed class WantFrame : IdValueListFrame
    {
        /// <summary>Creates a Want.</summary>
        public WantFrame(WantEntry[] entries)
            : base(SyncFrameType.Want)
        {
            if (entries.Length == 0 || entries.Length > SyncLimits.MaxWantEntriesPerFrame)
            {
                throw new ArgumentException("1.." + SyncLimits.MaxWantEntriesPerFrame + " entries per want frame");
            }

            Entries = entries;
        }

        /// <summary>Wanted items.</summary>
        public WantEntry[] Entries { get; }

        /// <inheritdoc/>
        protected override int Count => Entries.Length;

        /// <inheritdoc/>
        protected override string IdAt(int i) => Entries[i].Id;

        /// <inheritdoc/>
        protected override long ValueAt(int i) => Entries[i].Offset;
    }

    /// <summary>Have: answer to one wanted item (held or not, total length, SHA-256).</summary>
    public sealed class HaveFrame : SyncFrame
    {
        /// <summary>Creates a Have; <paramref name="hash"/> is ignored (zeros) when not held.</summary>
        public HaveFrame(string id, bool held, long totalLength, byte[] hash)
            : base(SyncFrameType.Have)
        {
            RequireItemId(id);
            if (hash == null || hash.Length != SyncLimits.HashBytes || totalLength < 0)
            {
                throw new ArgumentException("hash must be " + SyncLimits.HashBytes + " bytes, length non-negative");
            }

            Id = id;
            Held = held;
            TotalLength = totalLength;
            Hash = hash;
        }

        /// <summary>Item id.</summary>
        public string Id { get; }

        /// <summary>False when the sender does not hold the item.</summary>
        public bool Held { get; }

        /// <summary>Item length.</summary>
        public long TotalLength { get; }

        /// <summary>SHA-256 of the whole item.</summary>
        public byte[] Hash { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 1 + Id.Length + 1 + 8 + SyncLimits.HashBytes; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            o = WireFormat.WriteAscii8(b, o, Id);
            b[o] = (byte)(Held ? 1 : 0);
            WireFormat.WriteInt64(b, o + 1, TotalLength);
            Array.Copy(Hash, 0, b, o + 9, SyncLimits.HashBytes);
        }
    }

    /// <summary>ShardChunk: bytes [Offset, Offset+DataLength) of an item of TotalLength bytes.</summary>
    public sealed class ShardChunkFrame : SyncFrame
    {
        /// <summary>Creates a chunk referring to <paramref name="data"/> (not copied).</summary>
        public ShardChunkFrame(string id, long offset, long totalLength, byte[] data, int dataOffset, int dataLength)
            : base(SyncFrameType.ShardChunk)
        {
            RequireItemId(id);
            if (dataLength < 0 || dataLength > SyncLimits.MaxChunkBytes || dataOffset < 0 || dataOffset + dataLength > data.Length)
            {
                throw new ArgumentException("chunk data must be 0.." + SyncLimits.MaxChunkBytes + " bytes inside its buffer");
            }

            if (offset < 0 || offset + dataLength > totalLength)
            {
                throw new ArgumentException("chunk must lie inside the item");
            }

            Id = id;
            Offset = offset;
            TotalLength = totalLength;
            Data = data;
            DataOffset = dataOffset;
            DataLength = dataLength;
        }

        /// <summary>Item id.</summary>
        public string Id { get; }

        /// <summary>Position of the first byte in the item.</summary>
        public long Offset { get; }

        /// <summary>Item length.</summary>
        public long TotalLength { get; }

        /// <summary>Buffer holding the bytes.</summary>
        public byte[] Data { get; }

        /// <summary>Start of the bytes in Data.</summary>
        public int DataOffset { get; }

        /// <summary>Number of bytes.</summary>
        public int DataLength { get; }

        /// <summary>True when this chunk ends the item.</summary>
        public bool IsLast
        {
            get { return Offset + DataLength == TotalLength; }
        }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 1 + Id.Length + 8 + 8 + 4 + DataLength; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            o = WireFormat.WriteAscii8(b, o, Id);
            WireFormat.WriteInt64(b, o, Offset);
            WireFormat.WriteInt64(b, o + 8, TotalLength);
            WireFormat.WriteUInt32(b, o + 16, DataLength);

            // A sender that read the data straight into the frame buffer (DataStart) needs no copy.
            if (Data != b || DataOffset != o + 20)
            {
                Array.Copy(Data, DataOffset, b, o + 20, DataLength);
            }
        }

        /// <summary>Where the data of a chunk of item <paramref name="id"/> starts, counted from the frame's first byte.</summary>
        public static int DataStart(string id)
        {
            return SyncLimits.HeaderBytes + 1 + id.Length + 8 + 8 + 4;
        }
    }

    /// <summary>Ack: the receiver's verdict on a completed item.</summary>
    public sealed class AckFrame : SyncFrame
    {
        /// <summary>Creates an Ack.</summary>
        public AckFrame(string id, AckStatus status)
            : base(SyncFrameType.Ack)
        {
            RequireItemId(id);
            Id = id;
            Status = status;
        }

        /// <summary>Item id.</summary>
        public string Id { get; }

        /// <summary>Verdict.</summary>
        public AckStatus Status { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 1 + Id.Length + 1; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            o = WireFormat.WriteAscii8(b, o, Id);
            b[o] = (byte)Status;
        }
    }

    /// <summary>Manifest: one whole manifest.</summary>
    public sealed class ManifestFrame : SyncFrame
    {
        /// <summary>Creates a Manifest frame (data not copied).</summary>
        public ManifestFrame(string id, byte[] data)
            : base(SyncFrameType.Manifest)
        {
            RequireItemId(id);
            if (data.Length > SyncLimits.MaxManifestBytes)
            {
                throw new ArgumentException("manifest over " + SyncLimits.MaxManifestBytes + " bytes");
            }

            Id = id;
            Data = data;
        }

        /// <summary>Manifest id.</summary>
        public string Id { get; }

        /// <summary>Manifest bytes.</summary>
        public byte[] Data { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 1 + Id.Length + 4 + Data.Length; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            o = WireFormat.WriteAscii8(b, o, Id);
            WireFormat.WriteUInt32(b, o, Data.Length);
            Array.Copy(Data, 0, b, o + 4, Data.Length);
        }
    }

    /// <summary>Error: the sender ends the session with a code and message.</summary>
    public sealed class ErrorFrame : SyncFrame
    {
        /// <summary>Creates an Error (message truncated to the limit).</summary>
        public ErrorFrame(SyncErrorCode code, string message)
            : base(SyncFrameType.Error)
        {
            Code = code;
            MessageBytes = WireFormat.Utf8Truncated(message, SyncLimits.MaxErrorMessageBytes);
            Message = WireFormat.DecodeUtf8(MessageBytes, 0, MessageBytes.Length);
        }

        /// <summary>Error code.</summary>
        public SyncErrorCode Code { get; }

        /// <summary>Reason.</summary>
        public string Message { get; }

        internal byte[] MessageBytes { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 2 + 1 + MessageBytes.Length; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            WireFormat.WriteUInt16(b, o, (int)Code);
            WireFormat.WriteBytes8(b, o + 2, MessageBytes);
        }
    }

    /// <summary>Done: the sender wants nothing more in this session.</summary>
    public sealed class DoneFrame : SyncFrame
    {
        /// <summary>Creates a Done.</summary>
        public DoneFrame()
            : base(SyncFrameType.Done)
        {
        }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 0; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
        }
    }
}
