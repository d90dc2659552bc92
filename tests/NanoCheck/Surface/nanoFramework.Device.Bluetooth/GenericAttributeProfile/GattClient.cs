namespace nanoFramework.Device.Bluetooth.GenericAttributeProfile
{
    using System;

    // nanoframework/nanoFramework.Device.Bluetooth main: nanoFramework.Device.Bluetooth/GenericAttributeProfile/
    // {GattDeviceService,GattDeviceServicesResult,GattCharacteristic,GattCharacteristicResult (class
    // GattCharacteristicsResult),GattReadResult,GattWriteResult,GattValueChangedEventArgs,
    // GattClientCharacteristicConfigurationDescriptorValue}.cs: the client (central) side. Not declared: descriptors.
    public class GattDeviceService : IDisposable
    {
        public ushort AttributeHandle => throw null;
        public void Dispose() { }
        public GattCharacteristicsResult GetCharacteristics() => throw null;
        public GattCharacteristicsResult GetCharacteristicsForUuid(Guid characteristicUuid) => throw null;
        public Guid Uuid => throw null;
        public BluetoothLEDevice Device => throw null;
    }

    public class GattDeviceServicesResult
    {
        public byte ProtocolError => throw null;
        public GattDeviceService[] Services => throw null;
        public GattCommunicationStatus Status => throw null;
    }

    public class GattCharacteristicsResult
    {
        public GattCharacteristic[] Characteristics => throw null;
        public byte ProtocolError => throw null;
        public GattCommunicationStatus Status => throw null;
    }

    public class GattCharacteristic
    {
        // The typo is nanoFramework's.
        public delegate void GattCharacteristicVlaueChangedEventHandler(GattCharacteristic sender, GattValueChangedEventArgs valueChangedEventArgs);

        public GattReadResult ReadValue() => throw null;
        public GattWriteResult WriteValueWithResult(Buffer value, GattWriteOption writeOption = GattWriteOption.WriteWithoutResponse) => throw null;
        public GattWriteResult WriteClientCharacteristicConfigurationDescriptorWithResult(
            GattClientCharacteristicConfigurationDescriptorValue clientCharacteristicConfigurationDescriptorValue,
            GattWriteOption gattWriteOption = GattWriteOption.WriteWithoutResponse) => throw null;
        public GattProtectionLevel ProtectionLevel { get => throw null; set { } }
        public ushort AttributeHandle => throw null;
        public GattCharacteristicProperties CharacteristicProperties => throw null;
        public string UserDescription => throw null;
        public Guid Uuid => throw null;
        public GattDeviceService Service => throw null;
        public event GattCharacteristicVlaueChangedEventHandler ValueChanged { add { } remove { } }
    }

    public class GattReadResult
    {
        public GattCommunicationStatus Status => throw null;
        public Buffer Value => throw null;
        public byte ProtocolError => throw null;
    }

    public class GattWriteResult
    {
        public byte ProtocolError => throw null;
        public GattCommunicationStatus Status => throw null;
    }

    public class GattValueChangedEventArgs
    {
        public Buffer CharacteristicValue => throw null;
        public DateTime Timestamp => throw null;
    }

    public enum GattClientCharacteristicConfigurationDescriptorValue
    {
        None = 0,
        Notify = 1,
        Indicate = 2,
    }
}
