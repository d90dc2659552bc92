namespace AetherEdge.Core.Gatt
{
    using System;

    /// <summary>
    /// Reassembles transfers arriving on one link into a fixed pool of slots (buffers allocated in the
    /// constructor), answers ack requests with a cumulative point plus a bitmap of what arrived past it,
    /// checks the CRC-32 and hands whole transfers to the listener. Rejects transfers over its limit or
    /// beyond its slots with a fail frame. Receiving allocates nothing.
    /// </summary>
    public sealed class GattTransferReceiver
    {
        private readonly IGattLink _link;
        private readonly IGattReceiveListener _listener;
        private readonly ReceiveSlot[] _slots;
        private readonly byte[] _scratch;
        private readonly byte[] _bitmap;
        private readonly int _maxTransferBytes;
        private readonly int _fragmentCapacity;

        /// <summary>Creates a receiver with <paramref name="slots"/> pooled transfers of up to <paramref name="maxTransferBytes"/>.</summary>
        public GattTransferReceiver(IGattLink link, IGattReceiveListener listener, int slots, int maxTransferBytes)
        {
            if (slots < 1 || slots > GattLimits.MaxConcurrentTransfers)
            {
                throw new ArgumentOutOfRangeException("slots");
            }

            if (maxTransferBytes < 1 || maxTransferBytes > GattLimits.MaxTransferBytes)
            {
                throw new ArgumentOutOfRangeException("maxTransferBytes");
            }

            _link = link;
            _listener = listener;
            _maxTransferBytes = maxTransferBytes;
            _fragmentCapacity = GattReassembly.FragmentCapacity(maxTransferBytes);
            _slots = new ReceiveSlot[slots];
            for (int i = 0; i < slots; i++)
            {
                _slots[i] = new ReceiveSlot(maxTransferBytes, _fragmentCapacity);
            }

            _scratch = new byte[GattLimits.AckHeaderBytes + GattLimits.MaxAckBitmapBytes];
            _bitmap = new byte[GattLimits.MaxAckBitmapBytes];
        }

        /// <summary>Transfers currently being reassembled.</summary>
        public int ActiveTransfers
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _slots.Length; i++)
                {
                    if (_slots[i].Receiving)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>Fragments that arrived twice (already held).</summary>
        public long DuplicateFragments { get; private set; }

        /// <summary>Handles one data frame; <paramref name="buffer"/> holds the bytes <paramref name="frame"/> points into.</summary>
        public void OnFrame(GattFrame frame, byte[] buffer, long nowMs)
        {
            if (frame.Type == GattFrameType.Fail)
            {
                ReceiveSlot? aborted = Find(frame.TransferId, true);
                if (aborted != null)
                {
                    aborted.Clear();
                    _listener.OnReceiveFailed(frame.TransferId, frame.Reason);
                }

                return;
            }

            if (frame.Type != GattFrameType.Data)
            {
                return;
            }

            if (frame.First)
            {
                OnFirst(frame, buffer, nowMs);
                return;
            }

            ReceiveSlot? slot = Find(frame.TransferId, true);
            if (slot == null)
            {
                ReceiveSlot? done = Find(frame.TransferId, false);
                if (done != null)
                {
                    SendAck(done, true);
                }
                else
                {
                    SendFail(frame.TransferId, GattFailReason.UnknownTransfer);
                }

                return;
            }

            if (frame.Sequence >= slot.FragmentCount
                || frame.Last != (frame.Sequence == slot.FragmentCount - 1)
                || frame.PayloadLength != GattReassembly.FragmentLength(frame.Sequence, slot.Length, slot.FirstLength, slot.ChunkSize))
            {
                Drop(slot, GattFailReason.BadFrame, true);
                return;
            }

            Store(slot, frame, buffer, nowMs);
        }

        /// <summary>Drops transfers idle for <see cref="GattLimits.ReceiverIdleTimeoutMilliseconds"/> and frees lingering slots.</summary>
        public void Step(long nowMs)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                ReceiveSlot slot = _slots[i];
                if (slot.Receiving && nowMs - slot.LastActivity >= GattLimits.ReceiverIdleTimeoutMilliseconds)
                {
                    Drop(slot, GattFailReason.Timeout, true);
                }
                else if (slot.Completed && nowMs - slot.LastActivity >= GattLimits.CompletedLingerMilliseconds)
                {
                    slot.Clear();
                }
            }
        }

        private void OnFirst(GattFrame frame, byte[] buffer, long nowMs)
        {
            ReceiveSlot? slot = Find(frame.TransferId, true);
            if (slot != null && slot.Length == frame.TotalLength && slot.Crc == frame.Crc)
            {
                DuplicateFragments++;
                slot.LastActivity = nowMs;
                SendAck(slot, false);
                return;
            }

            ReceiveSlot? done = Find(frame.TransferId, false);
            if (done != null && done.Length == frame.TotalLength && done.Crc == frame.Crc)
            {
                SendAck(done, true);
                return;
            }

            if (slot != null)
            {
                // The sender reused the id: its earlier transfer is gone.
                Drop(slot, GattFailReason.Cancelled, false);
            }

            int fragments = GattReassembly.FragmentCount(frame.TotalLength, frame.ChunkSize);
            if (frame.TotalLength > _maxTransferBytes || fragments > _fragmentCapacity)
            {
                SendFail(frame.TransferId, GattFailReason.TooLarge);
                return;
            }

            int firstLength = GattReassembly.FirstPayloadLength(frame.TotalLength, frame.ChunkSize);
            if (frame.PayloadLength != firstLength || frame.Last != (fragments == 1))
            {
                SendFail(frame.TransferId, GattFailReason.BadFrame);
                return;
            }

            slot = FreeSlot();
            if (slot == null)
            {
                SendFail(frame.TransferId, GattFailReason.NoFreeSlot);
                return;
            }

            slot.Clear();
            slot.Receiving = true;
            slot.TransferId = frame.TransferId;
            slot.Length = frame.TotalLength;
            slot.Crc = frame.Crc;
            slot.ChunkSize = frame.ChunkSize;
            slot.FirstLength = firstLength;
            slot.FragmentCount = fragments;
            Store(slot, frame, buffer, nowMs);
        }

        private void Store(ReceiveSlot slot, GattFrame frame, byte[] buffer, long nowMs)
        {
            slot.LastActivity = nowMs;
            int seq = frame.Sequence;
            int mask = 1 << (seq & 7);
            if ((slot.Received[seq >> 3] & mask) != 0)
            {
                DuplicateFragments++;
            }
            else
            {
                int at = GattReassembly.FragmentOffset(seq, slot.FirstLength, slot.ChunkSize);
                Array.Copy(buffer, frame.PayloadOffset, slot.Buffer, at, frame.PayloadLength);
                slot.Received[seq >> 3] = (byte)(slot.Received[seq >> 3] | mask);
                slot.ReceivedCount++;
                slot.ReceivedBytes += frame.PayloadLength;
                while (slot.NextExpected < slot.FragmentCount && IsReceived(slot, slot.NextExpected))
                {
                    slot.NextExpected++;
                }

                _listener.OnReceiveProgress(slot.TransferId, slot.ReceivedBytes, slot.Length);
            }

            if (slot.ReceivedCount == slot.FragmentCount)
            {
                if (Crc32.Compute(slot.Buffer, 0, slot.Length) != slot.Crc)
                {
                    Drop(slot, GattFailReason.CrcMismatch, true);
                    return;
                }

                slot.Receiving = false;
                slot.Completed = true;
                SendAck(slot, true);
                _listener.OnReceived(slot.TransferId, slot.Buffer, 0, slot.Length);
                return;
            }

            if (frame.AckRequest)
            {
                SendAck(slot, false);
            }
        }

        private void SendAck(ReceiveSlot slot, bool complete)
        {
            int bitmapBytes = 0;
            if (!complete)
            {
                int room = _link.MaxWriteLength - GattLimits.AckHeaderBytes;
                int max = room < GattLimits.MaxAckBitmapBytes ? room : GattLimits.MaxAckBitmapBytes;
                int pending = slot.FragmentCount - slot.NextExpected - 1;
                int needed = (pending + 7) / 8;
                bitmapBytes = needed < max ? needed : max;
                Array.Clear(_bitmap, 0, bitmapBytes);
                for (int b = 0; b < bitmapBytes * 8; b++)
                {
                    int seq = slot.NextExpected + 1 + b;
                    if (seq < slot.FragmentCount && IsReceived(slot, seq))
                    {
                        _bitmap[b >> 3] = (byte)(_bitmap[b >> 3] | (1 << (b & 7)));
                    }
                }
            }

            int next = complete ? slot.FragmentCount : slot.NextExpected;
            int written;
            if (GattFrameCodec.TryWriteAck(_scratch, 0, slot.TransferId, next, complete, _bitmap, 0, bitmapBytes, out written))
            {
                _link.TryWrite(_scratch, 0, written);
            }
        }

        private void SendFail(int transferId, GattFailReason reason)
        {
            int written;
            if (GattFrameCodec.TryWriteFail(_scratch, 0, transferId, true, reason, out written))
            {
                _link.TryWrite(_scratch, 0, written);
            }
        }

        private void Drop(ReceiveSlot slot, GattFailReason reason, bool tellPeer)
        {
            int id = slot.TransferId;
            slot.Clear();
            if (tellPeer)
            {
                SendFail(id, reason);
            }

            _listener.OnReceiveFailed(id, reason);
        }

        private static bool IsReceived(ReceiveSlot slot, int seq)
        {
            return (slot.Received[seq >> 3] & (1 << (seq & 7))) != 0;
        }

        private ReceiveSlot? Find(int transferId, bool receiving)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                ReceiveSlot s = _slots[i];
                if (s.TransferId == transferId && (receiving ? s.Receiving : s.Completed))
                {
                    return s;
                }
            }

            return null;
        }

        private ReceiveSlot? FreeSlot()
        {
            ReceiveSlot? lingering = null;
            for (int i = 0; i < _slots.Length; i++)
            {
                ReceiveSlot s = _slots[i];
                if (!s.Receiving && !s.Completed)
                {
                    return s;
                }

                if (s.Completed && (lingering == null || s.LastActivity < lingering.LastActivity))
                {
                    lingering = s;
                }
            }

            return lingering;
        }

        private sealed class ReceiveSlot
        {
            public readonly byte[] Buffer;
            public readonly byte[] Received;
            public bool Receiving;
            public bool Completed;
            public int TransferId = -1;
            public int Length;
            public uint Crc;
            public int ChunkSize;
            public int FirstLength;
            public int FragmentCount;
            public int ReceivedCount;
            public int ReceivedBytes;
            public int NextExpected;
            public long LastActivity;

            public ReceiveSlot(int maxTransferBytes, int fragments)
            {
                Buffer = new byte[maxTransferBytes];
                Received = new byte[(fragments + 7) / 8];
            }

            public void Clear()
            {
                Receiving = false;
                Completed = false;
                TransferId = -1;
                Array.Clear(Received, 0, Received.Length);
                ReceivedCount = 0;
                ReceivedBytes = 0;
                NextExpected = 0;
            }
        }
    }
}
