namespace AetherEdge.Core.Gatt
{
    using System;

    /// <summary>
    /// Sends transfers over one link: fragments to the link's write size, windows of
    /// <see cref="GattLimits.WindowFragments"/> closed by an ack request, selective retransmission of
    /// what the ack reports missing, at most <see cref="GattLimits.MaxRetriesPerFragment"/> retries per
    /// fragment. Synchronous: call <see cref="Step"/> regularly and <see cref="OnFrame"/> for acks/fails.
    /// All buffers are allocated in the constructor; sending allocates nothing.
    /// </summary>
    public sealed class GattTransferSender
    {
        private const byte Unsent = 0;
        private const byte InFlight = 1;
        private const byte Acked = 2;

        private readonly IGattLink _link;
        private readonly IGattSendListener _listener;
        private readonly SendSlot[] _slots;
        private readonly byte[] _scratch;
        private readonly int _maxTransferBytes;
        private int _nextTransferId;

        /// <summary>Creates a sender with <paramref name="slots"/> pooled transfers of up to <paramref name="maxTransferBytes"/>.</summary>
        public GattTransferSender(IGattLink link, IGattSendListener listener, int slots, int maxTransferBytes)
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
            _slots = new SendSlot[slots];
            int fragments = GattReassembly.FragmentCapacity(maxTransferBytes);
            for (int i = 0; i < slots; i++)
            {
                _slots[i] = new SendSlot(maxTransferBytes, fragments);
            }

            _scratch = new byte[GattLimits.AttPayloadForMtu(GattLimits.MaxAttMtu)];
        }

        /// <summary>Transfers currently in progress.</summary>
        public int ActiveTransfers
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _slots.Length; i++)
                {
                    if (_slots[i].Active)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>Fragment writes accepted by the link, retransmissions included.</summary>
        public long FragmentsSent { get; private set; }

        /// <summary>Fragment writes that were retransmissions.</summary>
        public long FragmentsRetransmitted { get; private set; }

        /// <summary>
        /// Copies <paramref name="length"/> bytes into a free slot and starts sending on the next
        /// <see cref="Step"/>. Returns the transfer id, or −1 when every slot is busy.
        /// </summary>
        public int TryStart(byte[] data, int offset, int length, long nowMs)
        {
            if (length < 1 || length > _maxTransferBytes)
            {
                throw new ArgumentOutOfRangeException("length", "transfer length must be 1.." + _maxTransferBytes);
            }

            int maxWrite = _link.MaxWriteLength;
            if (maxWrite < GattLimits.AttPayloadForMtu(GattLimits.MinAttMtu) || maxWrite > GattLimits.AttPayloadForMtu(GattLimits.MaxAttMtu))
            {
                throw new InvalidOperationException("link write length " + maxWrite + " outside the ATT range");
            }

            SendSlot? slot = null;
            for (int i = 0; i < _slots.Length; i++)
            {
                if (!_slots[i].Active)
                {
                    slot = _slots[i];
                    break;
                }
            }

            if (slot == null)
            {
                return -1;
            }

            Array.Copy(data, offset, slot.Buffer, 0, length);
            slot.TransferId = AllocateTransferId();
            slot.Length = length;
            slot.Crc = Crc32.Compute(slot.Buffer, 0, length);
            slot.ChunkSize = maxWrite - GattLimits.DataHeaderBytes;
            slot.FirstLength = GattReassembly.FirstPayloadLength(length, slot.ChunkSize);
            slot.FragmentCount = GattReassembly.FragmentCount(length, slot.ChunkSize);
            slot.BusyRetries = 0;
            Restart(slot, nowMs);
            slot.Active = true;
            return slot.TransferId;
        }

        private static void Restart(SendSlot slot, long notBeforeMs)
        {
            Array.Clear(slot.State, 0, slot.FragmentCount);
            Array.Clear(slot.Retries, 0, slot.FragmentCount);
            slot.AckedCount = 0;
            slot.Cursor = 0;
            slot.SinceAckRequest = 0;
            slot.AwaitingAck = false;
            slot.AckRequestSequence = 0;
            slot.Deadline = notBeforeMs;
            slot.NotBefore = notBeforeMs;
        }

        /// <summary>Abandons a transfer and tells the receiver.</summary>
        public void Cancel(int transferId)
        {
            SendSlot? slot = Find(transferId);
            if (slot != null)
            {
                Fail(slot, GattFailReason.Cancelled, true);
            }
        }

        /// <summary>Sends what the window allows and handles ack timeouts.</summary>
        public void Step(long nowMs)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                SendSlot slot = _slots[i];
                if (!slot.Active || nowMs < slot.NotBefore)
                {
                    continue;
                }

                if (slot.AwaitingAck)
                {
                    if (nowMs >= slot.Deadline)
                    {
                        int seq = slot.AckRequestSequence;
                        if (!CountRetry(slot, seq))
                        {
                            continue;
                        }

                        if (WriteFragment(slot, seq, true))
                        {
                            FragmentsRetransmitted++;
                            slot.Deadline = nowMs + GattLimits.AckTimeoutMilliseconds;
                        }
                    }

                    continue;
                }

                SendWindow(slot, nowMs);
            }
        }

        /// <summary>Handles an ack or fail frame addressed to this sender.</summary>
        public void OnFrame(GattFrame frame, byte[] buffer, long nowMs)
        {
            SendSlot? slot = Find(frame.TransferId);
            if (slot == null)
            {
                return;
            }

            if (frame.Type == GattFrameType.Fail)
            {
                if (frame.Reason == GattFailReason.NoFreeSlot && slot.BusyRetries < GattLimits.MaxRetriesPerFragment)
                {
                    // The receiver is busy with other transfers: start over later instead of failing.
                    slot.BusyRetries++;
                    Restart(slot, nowMs + (GattLimits.BusyBackoffMilliseconds * slot.BusyRetries));
                    return;
                }

                Fail(slot, frame.Reason, false);
                return;
            }

            if (frame.Type != GattFrameType.Ack)
            {
                return;
            }

            if (frame.Complete)
            {
                slot.Active = false;
                _listener.OnSendProgress(slot.TransferId, slot.Length, slot.Length);
                _listener.OnSendCompleted(slot.TransferId);
                return;
            }

            if (!slot.AwaitingAck)
            {
                return; // a late duplicate of an ack already acted on
            }

            int limit = frame.NextExpected < slot.FragmentCount ? frame.NextExpected : slot.FragmentCount;
            for (int s = 0; s < limit; s++)
            {
                MarkAcked(slot, s);
            }

            int bits = frame.PayloadLength * 8;
            for (int b = 0; b < bits; b++)
            {
                int s = frame.NextExpected + 1 + b;
                if (s >= slot.FragmentCount)
                {
                    break;
                }

                if ((buffer[frame.PayloadOffset + (b >> 3)] & (1 << (b & 7))) != 0)
                {
                    MarkAcked(slot, s);
                }
            }

            // Everything still in flight was sent before the ack request, so the receiver lacks it.
            int firstLost = -1;
            for (int s = 0; s < slot.FragmentCount; s++)
            {
                if (slot.State[s] == InFlight)
                {
                    if (!CountRetry(slot, s))
                    {
                        return;
                    }

                    slot.State[s] = Unsent;
                    if (firstLost < 0)
                    {
                        firstLost = s;
                    }
                }
            }

            if (firstLost >= 0 && firstLost < slot.Cursor)
            {
                slot.Cursor = firstLost;
            }

            slot.AwaitingAck = false;
            slot.SinceAckRequest = 0;
            _listener.OnSendProgress(slot.TransferId, AckedBytes(slot), slot.Length);
            SendWindow(slot, nowMs);
        }

        private void SendWindow(SendSlot slot, long nowMs)
        {
            while (slot.Active && !slot.AwaitingAck)
            {
                int seq = NextUnsent(slot, slot.Cursor, -1);
                if (seq < 0)
                {
                    // Nothing left unsent but not complete: ask the receiver where it stands.
                    slot.AwaitingAck = true;
                    slot.Deadline = nowMs;
                    return;
                }

                bool ackRequest = seq == 0
                    || slot.SinceAckRequest + 1 >= GattLimits.WindowFragments
                    || NextUnsent(slot, seq + 1, seq) < 0;
                bool retransmission = slot.Retries[seq] > 0;
                if (!WriteFragment(slot, seq, ackRequest))
                {
                    return;
                }

                if (retransmission)
                {
                    FragmentsRetransmitted++;
                }

                slot.State[seq] = InFlight;
                slot.Cursor = seq + 1;
                if (ackRequest)
                {
                    slot.AwaitingAck = true;
                    slot.AckRequestSequence = seq;
                    slot.Deadline = nowMs + GattLimits.AckTimeoutMilliseconds;
                    slot.SinceAckRequest = 0;
                }
                else
                {
                    slot.SinceAckRequest++;
                }
            }
        }

        private bool WriteFragment(SendSlot slot, int seq, bool ackRequest)
        {
            bool first = seq == 0;
            bool last = seq == slot.FragmentCount - 1;
            int written;
            GattFrameCodec.TryWriteDataHeader(
                _scratch, 0, slot.TransferId, seq, first, last, ackRequest, slot.Length, slot.Crc, slot.ChunkSize, out written);
            int dataOffset = GattReassembly.FragmentOffset(seq, slot.FirstLength, slot.ChunkSize);
            int dataLength = GattReassembly.FragmentLength(seq, slot.Length, slot.FirstLength, slot.ChunkSize);
            Array.Copy(slot.Buffer, dataOffset, _scratch, written, dataLength);
            if (!_link.TryWrite(_scratch, 0, written + dataLength))
            {
                return false;
            }

            FragmentsSent++;
            return true;
        }

        private static int NextUnsent(SendSlot slot, int from, int exclude)
        {
            for (int s = from; s < slot.FragmentCount; s++)
            {
                if (slot.State[s] == Unsent && s != exclude)
                {
                    return s;
                }
            }

            for (int s = 0; s < from && s < slot.FragmentCount; s++)
            {
                if (slot.State[s] == Unsent && s != exclude)
                {
                    return s;
                }
            }

            return -1;
        }

        private static void MarkAcked(SendSlot slot, int seq)
        {
            if (slot.State[seq] != Acked)
            {
                slot.State[seq] = Acked;
                slot.AckedCount++;
            }
        }

        private static int AckedBytes(SendSlot slot)
        {
            int bytes = 0;
            for (int s = 0; s < slot.FragmentCount; s++)
            {
                if (slot.State[s] == Acked)
                {
                    bytes += GattReassembly.FragmentLength(s, slot.Length, slot.FirstLength, slot.ChunkSize);
                }
            }

            return bytes;
        }

        private bool CountRetry(SendSlot slot, int seq)
        {
            if (slot.Retries[seq] >= GattLimits.MaxRetriesPerFragment)
            {
                Fail(slot, GattFailReason.RetriesExhausted, true);
                return false;
            }

            slot.Retries[seq]++;
            return true;
        }

        private void Fail(SendSlot slot, GattFailReason reason, bool tellPeer)
        {
            slot.Active = false;
            if (tellPeer)
            {
                int written;
                if (GattFrameCodec.TryWriteFail(_scratch, 0, slot.TransferId, false, reason, out written))
                {
                    _link.TryWrite(_scratch, 0, written);
                }
            }

            _listener.OnSendFailed(slot.TransferId, reason);
        }

        private SendSlot? Find(int transferId)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].Active && _slots[i].TransferId == transferId)
                {
                    return _slots[i];
                }
            }

            return null;
        }

        private int AllocateTransferId()
        {
            while (true)
            {
                int id = _nextTransferId;
                _nextTransferId = (_nextTransferId + 1) & 0xFF;
                if (Find(id) == null)
                {
                    return id;
                }
            }
        }

        private sealed class SendSlot
        {
            public readonly byte[] Buffer;
            public readonly byte[] State;
            public readonly byte[] Retries;
            public bool Active;
            public bool AwaitingAck;
            public int TransferId;
            public int Length;
            public uint Crc;
            public int ChunkSize;
            public int FirstLength;
            public int FragmentCount;
            public int AckedCount;
            public int Cursor;
            public int SinceAckRequest;
            public int AckRequestSequence;
            public int BusyRetries;
            public long Deadline;
            public long NotBefore;

            public SendSlot(int maxTransferBytes, int fragments)
            {
                Buffer = new byte[maxTransferBytes];
                State = new byte[fragments];
                Retries = new byte[fragments];
            }
        }
    }
}
