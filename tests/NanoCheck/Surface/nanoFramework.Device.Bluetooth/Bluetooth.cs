namespace nanoFramework.Device.Bluetooth
{
    using System;
    using nanoFramework.Device.Bluetooth.GenericAttributeProfile;

    // nanoframework/nanoFramework.Device.Bluetooth main: nanoFramework.Device.Bluetooth/{BluetoothLEServer,
    // BluetoothLEDevice,BluetoothError,BluetoothConnectionStatus,BluetoothDeviceId,BluetoothAddressType}.cs.
    // Not declared: pairing (DevicePairing), BluetoothLEAdvertisementWatcher, SPP.
    public class BluetoothLEServer : IDisposable
    {
        public static BluetoothLEServer Instance => throw null;
        public string DeviceName { get => throw null; set { } }
        public ushort Appearance { get => throw null; set { } }
        public GattSession Session => throw null;
        public GattServiceProvider GetServiceByUUID(Guid serviceUuid) => throw null;
        public GattServiceProvider[] Services => throw null;
        public void Start() { }
        public void Stop() { }
        protected virtual void Dispose(bool disposing) { }
        public void Dispose() { }
    }

    public class BluetoothLEDevice : IDisposable
    {
        public void Close() { }
        public GattDeviceServicesResult GetGattServices() => throw null;
        public GattDeviceServicesResult GetGattServicesForUuid(Guid serviceUuid) => throw null;
        public static BluetoothLEDevice FromBluetoothAddress(ulong bluetoothAddress, BluetoothAddressType bluetoothAddressType) => throw null;
        public static BluetoothLEDevice FromBluetoothAddress(ulong bluetoothAddress) => throw null;
        public ulong BluetoothAddress => throw null;
        public BluetoothConnectionStatus ConnectionStatus => throw null;
        public string Name => throw null;
        public ushort Appearance => throw null;
        public BluetoothAddressType BluetoothAddressType => throw null;
        public bool WasSecureConnectionUsedForPairing => throw null;
        public event EventHandler ConnectionStatusChanged { add { } remove { } }
        public event EventHandler GattServicesChanged { add { } remove { } }
        protected virtual void Dispose(bool disposing) { }
        public void Dispose() { }
    }

    public enum BluetoothError
    {
        Success = 0,
        RadioNotAvailable = 1,
        ResourceInUse = 2,
        DeviceNotConnected = 3,
        OtherError = 4,
        DisabledByPolicy = 5,
        NotSupported = 6,
        DisabledByUser = 7,
        ConsentRequired = 8,
        TransportNotSupported = 9,
    }

    public enum BluetoothConnectionStatus
    {
        Disconnected = 0,
        Connected = 1,
    }

    public enum BluetoothAddressType
    {
        Public = 0,
        Random = 1,
        Unspecified = 2,
    }

    public class BluetoothDeviceId
    {
        public static BluetoothDeviceId FromId(int deviceId) => throw null;
        public int Id => throw null;
        public bool IsClassicDevice => throw null;
        public bool IsLowEnergyDevice => throw null;
    }
}
