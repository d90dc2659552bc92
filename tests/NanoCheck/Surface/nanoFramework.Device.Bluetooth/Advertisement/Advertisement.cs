namespace nanoFramework.Device.Bluetooth.Advertisement
{
    using System;
    using System.Collections;

    // nanoframework/nanoFramework.Device.Bluetooth main: nanoFramework.Device.Bluetooth/Advertisement/
    // {BluetoothLEAdvertisement,BluetoothLEAdvertisementFlags,BluetoothLEAdvertisementDataSection,
    // BluetoothLEAdvertisementDataSectionType,BluetoothLEAdvertisementPublisher,BluetoothLEAdvertisementPublisherStatus,
    // BluetoothLEAdvertisementPublisherStatusChangedEventArgs}.cs and nanoFramework.Device.Bluetooth/BluetoothLEManufacturerData.cs
    // (whose namespace is ...Advertisement). ManufacturerData is an ArrayList of BluetoothLEManufacturerData merged into
    // the payload when advertising starts.
    public class BluetoothLEAdvertisement
    {
        public BluetoothLEAdvertisement() { }
        public ArrayList DataSections => throw null;
        public string LocalName { get => throw null; set { } }
        public BluetoothLEAdvertisementFlags Flags { get => throw null; set { } }
        public ArrayList ManufacturerData => throw null;
        public Guid[] ServiceUuids => throw null;
        public ArrayList GetSectionsByType(byte type) => throw null;
        public ArrayList GetManufacturerDataByCompanyId(ushort companyId) => throw null;
    }

    [Flags]
    public enum BluetoothLEAdvertisementFlags : uint
    {
        None = 0,
        LimitedDiscoverableMode = 1,
        GeneralDiscoverableMode = 2,
        ClassicNotSupported = 4,
        DualModeControllerCapable = 8,
        DualModeHostCapable = 16,
    }

    public class BluetoothLEManufacturerData
    {
        public BluetoothLEManufacturerData() { }
        public BluetoothLEManufacturerData(ushort companyId, Buffer data) { }
        public Buffer Data { get => throw null; set { } }
        public ushort CompanyId { get => throw null; set { } }
    }

    public class BluetoothLEAdvertisementDataSection
    {
        public BluetoothLEAdvertisementDataSection() { }
        public BluetoothLEAdvertisementDataSection(byte dataType, Buffer data) { }
        public byte DataType { get => throw null; set { } }
        public Buffer Data { get => throw null; set { } }
    }

    public enum BluetoothLEAdvertisementDataSectionType
    {
        AdvertisingInterval = 0x1A,
        Appearance = 0x19,
        CompleteLocalName = 0x09,
        CompleteList128uuid = 0x07,
        CompleteList16uuid = 0x03,
        CompleteList32uuid = 0x05,
        Flags = 0x01,
        IncompleteList128uuid = 0x06,
        IncompleteList16uuid = 0x02,
        IncompleteList32uuid = 0x04,
        ManufacturerSpecificData = 0xFF,
        PeripheralConnectionIntervalRange = 0x12,
        PublicTargetAddress = 0x17,
        RandomTargetAddress = 0x18,
        ServiceData128bitUuid = 0x21,
        ServiceData16bitUuid = 0x16,
        ServiceData32bitUuid = 0x20,
        ServiceSolicitation128BitUuids = 0x15,
        ServiceSolicitation16BitUuids = 0x14,
        ServiceSolicitation32BitUuids = 0x1F,
        ShortenedLocalName = 0x08,
        TxPowerLevel = 0x0A,
    }

    public enum BluetoothLEAdvertisementPublisherStatus
    {
        Created = 0,
        Waiting = 1,
        Started = 2,
        Stopping = 3,
        Stopped = 4,
        Aborted = 5,
    }

    public class BluetoothLEAdvertisementPublisherStatusChangedEventArgs
    {
        public BluetoothError Error => throw null;
        public BluetoothLEAdvertisementPublisherStatus Status => throw null;
        public short SelectedTransmitPowerLevelInDBm => throw null;
    }

    public class BluetoothLEAdvertisementPublisher
    {
        public delegate void BluetoothLEAdvertisementPublisherHandler(object sender, BluetoothLEAdvertisementPublisherStatusChangedEventArgs args);

        public event BluetoothLEAdvertisementPublisherHandler StatusChanged { add { } remove { } }
        public BluetoothLEAdvertisementPublisher() { }
        public BluetoothLEAdvertisementPublisher(BluetoothLEAdvertisement advertisement) { }
        public BluetoothLEAdvertisement Advertisement => throw null;
        public bool IncludeTransmitPowerLevel { get => throw null; set { } }
        public bool IsAnonymous { get => throw null; set { } }
        public short PreferredTransmitPowerLevelInDBm { get => throw null; set { } }
        public BluetoothLEAdvertisementPublisherStatus Status => throw null;
        public bool UseExtendedAdvertisement { get => throw null; set { } }
        public void Start() { }
        public void Stop() { }
    }
}
