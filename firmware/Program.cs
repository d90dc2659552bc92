namespace AetherEdge.Firmware
{
    using System.Threading;
    using AetherEdge.Core.FuelGauge;
    using AetherEdge.Firmware.Beacon;
    using AetherEdge.Firmware.Drivers;
    using AetherEdge.Firmware.Glue;
    using nanoFramework.System.IO.FileSystem;

    /// <summary>
    /// ESP32 beacon entry point (real nanoFramework builds only; see README.md). Mounts the SD card,
    /// builds the beacon, reads the MAX17048 fuel gauge into its battery rule and advertisement, serves the
    /// GATT service, connects to configured peer beacons and steps forever.
    /// </summary>
    public static class Program
    {
        /// <summary>This beacon's node id (flash-scripts write a per-device value here).</summary>
        private const uint NodeId = 0x0B000001;

        /// <summary>SD-card bytes given to the shard cache.</summary>
        private const long AllocationBytes = 1024L * 1024L * 1024L;

        /// <summary>I2C bus of the fuel gauge (I2C1: SDA GPIO21, SCL GPIO22, hardware/README.md).</summary>
        private const int GaugeBus = 1;

        /// <summary>Peer beacons to relay through (BLE addresses), from provisioning.</summary>
        private static readonly ulong[] s_peers = new ulong[0];

        /// <summary>Boots the beacon.</summary>
        public static void Main()
        {
            SDCardMmcParameters mmc = new SDCardMmcParameters();
            mmc.slotIndex = 0;
            mmc.dataWidth = SDCard.SDDataWidth._4_bit;
            SDCard card = new SDCard(mmc);
            card.Mount();

            object gate = new object();
            BeaconNode node = new BeaconNode(new BeaconConfig(NodeId, AllocationBytes), new SdCardStorage("D:\\aether"), new SystemRandomSource(NodeId));
            // The gauge is powered from the cell: without one it does not answer and the beacon reports no battery.
            NanoI2cDevice i2c = NanoI2cDevice.Open(GaugeBus, Max1704xCodec.I2cAddress);
            BatteryMonitor battery = new BatteryMonitor(new Max1704xGauge(i2c, Max1704xVariant.Max17048), node, BatteryMonitor.DefaultPeriodMilliseconds, false);
            battery.Step(0); // first reading before the first advertisement
            BleGattServer server = new BleGattServer(node, gate);
            server.Start("AetherEdge beacon");
            for (int i = 0; i < s_peers.Length; i++)
            {
                BleCentralLink.Connect(node, gate, s_peers[i], BleGattServer.TemporaryIdBase + 0x10000 + (uint)i, BleGattServer.DefaultLinkQuality);
            }

            new BeaconRunner(node, gate, battery, server).Start();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
