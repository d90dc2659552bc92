namespace nanoFramework.System.IO.FileSystem
{
    // nanoframework/System.IO.FileSystem main: System.IO.FileSystem/nanoFramework/{SDCard,SDCardMmcParameters,
    // SDCardSpiParameters,CardDetectParameters}.cs. The card-detect event (and its args types) is not declared.
    public class SDCard : global::System.IDisposable
    {
        public SDCard(uint slotIndex = 0) { }
        public SDCard(SDCardMmcParameters mmcParameters, CardDetectParameters cdParameters = null) { }
        public SDCard(SDCardSpiParameters spiParameters, CardDetectParameters cdParameters = null) { }
        public SDInterfaceType CardType => throw null;
        public bool IsMounted => throw null;
        public bool CardDetectEnabled => throw null;
        public uint SlotIndex => throw null;
        public SDCardMmcParameters MmcParameters => throw null;
        public SDCardSpiParameters SpiParameters => throw null;
        public CardDetectParameters CdParameters => throw null;
        public bool IsCardDetected => throw null;
        public void Mount() { }
        public void Unmount() { }
        public void Dispose() { }

        public enum SDInterfaceType
        {
            System,
            Mmc,
            Spi,
        }

        public enum SDDataWidth
        {
            _1_bit = 1,
            _4_bit = 2,
        }
    }

    public class SDCardMmcParameters
    {
        public uint slotIndex;
        public SDCard.SDDataWidth dataWidth;
    }

    public class SDCardSpiParameters
    {
        public uint slotIndex;
        public uint spiBus;
        public uint chipSelectPin;
    }

    public class CardDetectParameters
    {
        public bool enableCardDetectPin;
        public bool cardDetectedState;
        public uint cardDetectPin;
        public bool autoMount;
    }
}
