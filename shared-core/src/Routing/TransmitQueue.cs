namespace AetherEdge.Core.Routing
{
    using System;

    /// <summary>
    /// Fixed pool of outgoing packets, each with a due time (rebroadcast delay) and the neighbour to
    /// send to. Buffers are allocated once; queuing and sending allocate nothing.
    /// </summary>
    public sealed class TransmitQueue
    {
        private readonly byte[][] _buffers;
        private readonly int[] _lengths;
        private readonly long[] _due;
        private readonly long[] _order;
        private readonly uint[] _neighbours;
        private readonly uint[] _except;
        private readonly uint[] _sources;
        private readonly uint[] _ids;
        private readonly bool[] _cancellable;
        private readonly int[] _heard;
        private readonly bool[] _active;
        private long _nextOrder;

        /// <summary>Creates <paramref name="slots"/> slots of <paramref name="maxPacketBytes"/> each.</summary>
        public TransmitQueue(int slots, int maxPacketBytes)
        {
            if (slots < 1 || maxPacketBytes < RoutingLimits.HeaderBytes || maxPacketBytes > RoutingLimits.MaxPacketBytes)
            {
                throw new ArgumentOutOfRangeException("slots");
            }

            _buffers = new byte[slots][];
            for (int i = 0; i < slots; i++)
            {
                _buffers[i] = new byte[maxPacketBytes];
            }

            _lengths = new int[slots];
            _due = new long[slots];
            _order = new long[slots];
            _neighbours = new uint[slots];
            _except = new uint[slots];
            _sources = new uint[slots];
            _ids = new uint[slots];
            _cancellable = new bool[slots];
            _heard = new int[slots];
            _active = new bool[slots];
            MaxPacketBytes = maxPacketBytes;
        }

        /// <summary>Largest packet a slot holds.</summary>
        public int MaxPacketBytes { get; }

        /// <summary>Packets waiting.</summary>
        public int Count
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _active.Length; i++)
                {
                    if (_active[i])
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>Encodes <paramref name="header"/> plus payload into a free slot; false when full or too big.</summary>
        public bool TryEnqueue(PacketHeader header, byte[] payload, int payloadOffset, long dueMs, uint neighbour, uint exceptNeighbour, bool cancellable)
        {
            if (RoutingLimits.HeaderBytes + header.PayloadLength > MaxPacketBytes)
            {
                return false;
            }

            for (int i = 0; i < _active.Length; i++)
            {
                if (_active[i])
                {
                    continue;
                }

                int written;
                PacketHeaderCodec.TryWrite(header, _buffers[i], 0, out written);
                Array.Copy(payload, payloadOffset, _buffers[i], written, header.PayloadLength);
                _lengths[i] = written + header.PayloadLength;
                _due[i] = dueMs;
                _order[i] = _nextOrder++;
                _neighbours[i] = neighbour;
                _except[i] = exceptNeighbour;
                _sources[i] = header.Source;
                _ids[i] = header.PacketId;
                _cancellable[i] = cancellable;
                _heard[i] = 1;
                _active[i] = true;
                return true;
            }

            return false;
        }

        /// <summary>
        /// Counts another overheard copy of (source, id) against a waiting cancellable packet and drops
        /// it once <paramref name="threshold"/> copies (the one that queued it included) were heard.
        /// True when a packet was dropped.
        /// </summary>
        public bool NoteDuplicate(uint source, uint packetId, int threshold)
        {
            bool any = false;
            for (int i = 0; i < _active.Length; i++)
            {
                if (_active[i] && _cancellable[i] && _sources[i] == source && _ids[i] == packetId)
                {
                    _heard[i]++;
                    if (_heard[i] >= threshold)
                    {
                        _active[i] = false;
                        any = true;
                    }
                }
            }

            return any;
        }

        /// <summary>Sends every due packet in due-time order until the radio refuses one.</summary>
        public int Flush(IMeshRadio radio, long nowMs)
        {
            int sent = 0;
            while (true)
            {
                int best = -1;
                for (int i = 0; i < _active.Length; i++)
                {
                    if (_active[i] && _due[i] <= nowMs
                        && (best < 0 || _due[i] < _due[best] || (_due[i] == _due[best] && _order[i] < _order[best])))
                    {
                        best = i;
                    }
                }

                if (best < 0 || !radio.TrySend(_neighbours[best], _except[best], _buffers[best], 0, _lengths[best]))
                {
                    return sent;
                }

                _active[best] = false;
                sent++;
            }
        }

        /// <summary>Earliest due time of a waiting packet, or <see cref="long.MaxValue"/>.</summary>
        public long NextDue()
        {
            long next = long.MaxValue;
            for (int i = 0; i < _active.Length; i++)
            {
                if (_active[i] && _due[i] < next)
                {
                    next = _due[i];
                }
            }

            return next;
        }
    }
}
