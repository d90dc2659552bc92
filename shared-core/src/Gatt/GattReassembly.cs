namespace AetherEdge.Core.Gatt
{
    /// <summary>
    /// Fragment geometry shared by sender and receiver: fragment 0 carries
    /// <c>chunk − FirstHeaderExtraBytes</c> bytes, every later fragment <c>chunk</c> bytes, the last the rest.
    /// </summary>
    public static class GattReassembly
    {
        /// <summary>Payload bytes of fragment 0.</summary>
        public static int FirstPayloadLength(int totalLength, int chunkSize)
        {
            int room = chunkSize - GattLimits.FirstHeaderExtraBytes;
            return totalLength < room ? totalLength : room;
        }

        /// <summary>Number of fragments of a transfer.</summary>
        public static int FragmentCount(int totalLength, int chunkSize)
        {
            int rest = totalLength - FirstPayloadLength(totalLength, chunkSize);
            return 1 + (rest + chunkSize - 1) / chunkSize;
        }

        /// <summary>Byte offset of fragment <paramref name="sequence"/> in the transfer.</summary>
        public static int FragmentOffset(int sequence, int firstLength, int chunkSize)
        {
            return sequence == 0 ? 0 : firstLength + (sequence - 1) * chunkSize;
        }

        /// <summary>Payload bytes of fragment <paramref name="sequence"/>.</summary>
        public static int FragmentLength(int sequence, int totalLength, int firstLength, int chunkSize)
        {
            if (sequence == 0)
            {
                return firstLength;
            }

            int offset = FragmentOffset(sequence, firstLength, chunkSize);
            int rest = totalLength - offset;
            return rest < chunkSize ? rest : chunkSize;
        }

        /// <summary>Fragments a pool slot must track for transfers up to <paramref name="maxTransferBytes"/> at the minimum MTU.</summary>
        public static int FragmentCapacity(int maxTransferBytes)
        {
            int chunk = GattLimits.AttPayloadForMtu(GattLimits.MinAttMtu) - GattLimits.DataHeaderBytes;
            return FragmentCount(maxTransferBytes, chunk);
        }
    }
}
