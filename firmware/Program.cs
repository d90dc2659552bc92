namespace AetherEdge.Firmware
{
    using System.Threading;
    using AetherEdge.Core.Devices;
    using AetherEdge.Firmware.Beacon;
    using AetherEdge.Firmware.Glue;
    using nanoFramework.System.IO.FileSystem;

    /// <summary>
    /// ESP32 beacon entry point (real nanoFramework builds only; see README.md). Mounts the SD card,
    /// builds the beacon, serves the GATT service, connects to configured peer beacons and steps forever.
    /// </summary>
    public static class Program
    {
        /// <summary>This beacon's node id (flash-scripts write a per-device value here).</summary>
        private const uint NodeId = 0x0B000001;

        /// <summary>SD-card bytes given to the shard cache.</summary>
        private const long AllocationBytes = 1024L * 1024L * 1024L;

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
            node.UpdateBattery(BatteryStatus.Mains);
            BleGattServer server = new BleGattServer(node, gate);
            server.Start("AetherEdge beacon");
            for (int i = 0; i < s_peers.Length; i++)
            {
                BleCentralLink.Connect(node, gate, s_peers[i], BleGattServer.TemporaryIdBase + 0x10000 + (uint)i, BleGattServer.DefaultLinkQuality);
            }

            new BeaconRunner(node, gate).Start();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
