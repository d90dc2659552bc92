namespace AetherEdge.Core.Gatt
{
    /// <summary>Progress of outgoing transfers, called synchronously from the sender's Step/OnFrame.</summary>
    public interface IGattSendListener
    {
        /// <summary>The receiver confirmed <paramref name="ackedBytes"/> of <paramref name="totalBytes"/>.</summary>
        void OnSendProgress(int transferId, int ackedBytes, int totalBytes);

        /// <summary>The receiver reassembled the transfer and its CRC matched.</summary>
        void OnSendCompleted(int transferId);

        /// <summary>The transfer was abandoned; the slot is free again.</summary>
        void OnSendFailed(int transferId, GattFailReason reason);
    }
}
