namespace nanoFramework.Device.Bluetooth.GenericAttributeProfile
{
    using System;
    using nanoFramework.Device.Bluetooth.Advertisement;

    // nanoframework/nanoFramework.Device.Bluetooth main: nanoFramework.Device.Bluetooth/GenericAttributeProfile/
    // {GattServiceProvider,GattServiceProviderResult,GattServiceProviderAdvertisingParameters,
    // GattServiceProviderAdvertisementStatus,GattLocalService,GattLocalCharacteristic,GattLocalCharacteristicParameters,
    // GattLocalCharacteristicResult,GattCharacteristicProperties,GattProtectionLevel,GattProtocolError,GattReadRequest,
    // GattReadRequestedEventArgs,GattWriteRequest,GattWriteRequestedEventArgs,GattWriteOption,GattSession,
    // GattSessionStatus,GattSessionStatusChangedEventArgs,GattSubscribedClient,GattClientNotificationResult,
    // GattCommunicationStatus}.cs: the server (peripheral) side. Not declared: descriptors and presentation formats.
    public class GattServiceProvider
    {
        public void StartAdvertising() { }
        public void StartAdvertising(GattServiceProviderAdvertisingParameters parameters) { }
        public void StopAdvertising() { }
        public static GattServiceProviderResult Create(Guid serviceUuid) => throw null;
        public GattServiceProviderAdvertisementStatus AdvertisementStatus => throw null;
        public GattLocalService Service => throw null;
    }

    public class GattServiceProviderResult
    {
        public BluetoothError Error => throw null;
        public GattServiceProvider ServiceProvider => throw null;
    }

    public class GattServiceProviderAdvertisingParameters
    {
        public GattServiceProviderAdvertisingParameters() { }
        public bool IsDiscoverable { get => throw null; set { } }
        public bool IsConnectable { get => throw null; set { } }
        public Buffer ServiceData { get => throw null; set { } }

        // Read-only: callers add sections (ManufacturerData, LocalName, Flags) to the advertisement it holds.
        public BluetoothLEAdvertisement Advertisement => throw null;
        public bool CustomAdvertisement { get => throw null; set { } }
    }

    public enum GattServiceProviderAdvertisementStatus
    {
        Created = 0,
        Stopped = 1,
        Started = 2,
        Aborted = 3,
        StartedWithoutAllAdvertisementData = 4,
    }

    public class GattLocalService
    {
        public GattLocalCharacteristicResult CreateCharacteristic(Guid characteristicUuid, GattLocalCharacteristicParameters parameters) => throw null;
        public GattLocalCharacteristic[] Characteristics => throw null;
        public Guid Uuid => throw null;
    }

    public class GattLocalCharacteristic
    {
        public delegate void GattLocalCharacteristicReadEventHandler(GattLocalCharacteristic sender, GattReadRequestedEventArgs ReadRequestEventArgs);

        public delegate void GattLocalCharacteristicWriteEventHandler(GattLocalCharacteristic sender, GattWriteRequestedEventArgs WriteRequestEventArgs);

        public delegate void GattLocalCharacteristicClientsChangedEventHandler(GattLocalCharacteristic sender, object args);

        public GattClientNotificationResult[] NotifyValue(Buffer value) => throw null;
        public GattClientNotificationResult NotifyValue(Buffer value, GattSubscribedClient subscribedClient) => throw null;
        public GattCharacteristicProperties CharacteristicProperties => throw null;
        public GattProtectionLevel ReadProtectionLevel => throw null;
        public Buffer StaticValue => throw null;
        public GattSubscribedClient[] SubscribedClients => throw null;
        public string UserDescription => throw null;
        public Guid Uuid => throw null;
        public GattProtectionLevel WriteProtectionLevel => throw null;
        public event GattLocalCharacteristicReadEventHandler ReadRequested { add { } remove { } }
        public event GattLocalCharacteristicWriteEventHandler WriteRequested { add { } remove { } }
        public event GattLocalCharacteristicClientsChangedEventHandler SubscribedClientsChanged { add { } remove { } }
    }

    public class GattLocalCharacteristicParameters
    {
        public GattLocalCharacteristicParameters() { }
        public GattProtectionLevel WriteProtectionLevel { get => throw null; set { } }
        public string UserDescription { get => throw null; set { } }
        public Buffer StaticValue { get => throw null; set { } }
        public GattProtectionLevel ReadProtectionLevel { get => throw null; set { } }
        public GattCharacteristicProperties CharacteristicProperties { get => throw null; set { } }
    }

    public class GattLocalCharacteristicResult
    {
        public GattLocalCharacteristic Characteristic => throw null;
        public BluetoothError Error => throw null;
    }

    [Flags]
    public enum GattCharacteristicProperties : uint
    {
        None = 0,
        Broadcast = 1,
        Read = 2,
        WriteWithoutResponse = 4,
        Write = 8,
        Notify = 16,
        Indicate = 32,
        AuthenticatedSignedWrites = 64,
        ExtendedProperties = 128,
        ReliableWrites = 256,
        WritableAuxiliaries = 512,
    }

    public enum GattProtectionLevel
    {
        Plain = 0,
        AuthenticationRequired = 1,
        EncryptionRequired = 2,
        EncryptionAndAuthenticationRequired = 3,
    }

    // A static class of byte properties there, not an enum.
    public static class GattProtocolError
    {
        public static byte AttributeNotFound => throw null;
        public static byte AttributeNotLong => throw null;
        public static byte InsufficientAuthentication => throw null;
        public static byte InsufficientAuthorization => throw null;
        public static byte InsufficientEncryption => throw null;
        public static byte InsufficientEncryptionKeySize => throw null;
        public static byte InsufficientResources => throw null;
        public static byte InvalidAttributeValueLength => throw null;
        public static byte InvalidHandle => throw null;
        public static byte InvalidOffset => throw null;
        public static byte InvalidPdu => throw null;
        public static byte PrepareQueueFull => throw null;
        public static byte ReadNotPermitted => throw null;
        public static byte RequestNotSupported => throw null;
        public static byte UnlikelyError => throw null;
        public static byte UnsupportedGroupType => throw null;
        public static byte WriteNotPermitted => throw null;
    }

    public class GattReadRequest
    {
        public void RespondWithValue(Buffer value) { }
        public void RespondWithProtocolError(byte protocolError) { }
        public uint Length => throw null;
    }

    public class GattReadRequestedEventArgs
    {
        public GattReadRequest GetRequest() => throw null;
        public GattSession Session => throw null;
    }

    public class GattWriteRequest
    {
        public void Respond() { }
        public void RespondWithProtocolError(byte protocolError) { }
        public uint Offset => throw null;
        public GattWriteOption Option => throw null;
        public Buffer Value => throw null;
    }

    public class GattWriteRequestedEventArgs
    {
        public GattWriteRequest GetRequest() => throw null;
        public GattSession Session => throw null;
    }

    public enum GattWriteOption
    {
        WriteWithResponse = 0,
        WriteWithoutResponse = 1,
    }

    public class GattSession
    {
        public delegate void GattSessionStatusChangedEventHandler(object sender, GattSessionStatusChangedEventArgs args);

        public event GattSessionStatusChangedEventHandler SessionStatusChanged { add { } remove { } }
        public event EventHandler MaxPduSizeChanged { add { } remove { } }
        public static GattSession FromDeviceId(BluetoothDeviceId deviceId) => throw null;
        public BluetoothDeviceId DeviceId => throw null;
        public ushort MaxMtuSize => throw null;
    }

    public enum GattSessionStatus
    {
        Closed = 0,
        Active = 1,
    }

    public class GattSessionStatusChangedEventArgs
    {
        public GattSessionStatus Status => throw null;
        public BluetoothError Error => throw null;
    }

    public class GattSubscribedClient
    {
        public ushort MaxNotificationSize => throw null;
        public GattSession Session => throw null;
    }

    public class GattClientNotificationResult
    {
        public byte ProtocolError => throw null;
        public GattCommunicationStatus Status => throw null;
        public GattSubscribedClient SubscribedClient => throw null;
        public ushort BytesSent => throw null;
    }

    public enum GattCommunicationStatus
    {
        Success = 0,
        Unreachable = 1,
        ProtocolError = 2,
        AccessDenied = 3,
    }
}
