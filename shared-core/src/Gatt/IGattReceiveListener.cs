namespace AetherEdge.Core.Gatt
{
    /// <summary>Incoming transfers, called synchronously from the receiver.</summary>
    public interface IGattReceiveListener
    {
        /// <summary><paramref name="receivedBytes"/> of <paramref name="totalBytes"/> have arrived.</summary>
        void OnReceiveProgress(int transferId, int receivedBytes, int totalBytes);

        /// <summary>
        /// A transfer arrived whole and its CRC matched. The bytes are lent for the duration of the call
        /// (they live in a pooled slot): copy or consume them before returning.
        /// </summary>
        void OnReceived(int transferId, byte[] buffer, int offset, int length);

        /// <summary>A transfer was dropped (bad CRC, timeout, sender abort).</summary>
        void OnReceiveFailed(int transferId, GattFailReason reason);
    }
}
