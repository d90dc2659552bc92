namespace AetherEdge.Core.Gatt
{
    /// <summary>The seed's BLE GATT identifiers (ÆtherLight service and shard characteristic).</summary>
    public static class GattUuids
    {
        /// <summary>Primary service advertised by every AetherEdge BLE node.</summary>
        public const string Service = "6E400001-B5A3-F393-E0A9-E50E24DCCA9E";

        /// <summary>
        /// Shard characteristic: peers write transfer frames to it (write / write-without-response)
        /// and receive acknowledgements as notifications from it.
        /// </summary>
        public const string ShardCharacteristic = "6E400002-B5A3-F393-E0A9-E50E24DCCA9E";
    }
}
