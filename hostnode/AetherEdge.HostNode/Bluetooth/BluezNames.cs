namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>BlueZ D-Bus names (doc/gatt-api.txt, advertising-api.txt, adapter-api.txt, device-api.txt) and our UUIDs.</summary>
    public static class BluezNames
    {
        public const string Service = "org.bluez";
        public const string DefaultAdapterPath = "/org/bluez/hci0";
        public const string GattManager = "org.bluez.GattManager1";
        public const string AdvertisingManager = "org.bluez.LEAdvertisingManager1";
        public const string Adapter = "org.bluez.Adapter1";
        public const string Device = "org.bluez.Device1";
        public const string GattService = "org.bluez.GattService1";
        public const string GattCharacteristic = "org.bluez.GattCharacteristic1";
        public const string Advertisement = "org.bluez.LEAdvertisement1";

        /// <summary>The AetherEdge shard service (seed) and its shard characteristic.</summary>
        public const string ShardServiceUuid = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
        public const string ShardCharacteristicUuid = "6e400002-b5a3-f393-e0a9-e50e24dcca9e";

        /// <summary>The ATT default MTU, used until BlueZ tells us better.</summary>
        public const int DefaultAttMtu = 23;

        /// <summary>ATT write/notify header: opcode + handle.</summary>
        public const int AttHeaderLength = 3;

        /// <summary>Largest ATT MTU (512-byte values + 3-byte header + 2 spare).</summary>
        public const int MaxAttMtu = 517;
    }

    /// <summary>Receives bytes from a BLE peer; called on a background thread.</summary>
    public interface IBleLinkReceiver
    {
        /// <param name="peer">the peer's D-Bus device path (or "unknown" when BlueZ did not say).</param>
        /// <param name="value">one characteristic value (one GATT fragment).</param>
        /// <param name="mtu">the ATT MTU in force; usable payload is mtu − 3.</param>
        void OnReceived(string peer, byte[] value, int mtu);
    }

    /// <summary>A byte-level link to one peer: one call = one characteristic value (fragmentation lives above).</summary>
    public interface IBleLink : IAsyncDisposable
    {
        string Peer { get; }

        int Mtu { get; }

        Task WriteAsync(byte[] value, bool withResponse = false);
    }
}
