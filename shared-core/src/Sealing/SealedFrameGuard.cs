namespace AetherEdge.Core.Sealing
{
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Opens sealed frames for one node and refuses replays: the timestamp must lie within
    /// <see cref="WindowMilliseconds"/> of the receiver's clock (either way, for clock skew), the tag must match
    /// the sender's key, and the (sender, nonce) pair must not have been seen inside the window. Seen nonces are
    /// remembered in fixed arrays; a nonce is only recorded after its tag checked out, so forgeries cannot
    /// fill the table. When the table is full the oldest entry makes way and every frame not newer than it is
    /// refused from then on (a replay can never slip through an evicted entry). Not thread-safe: one owner.
    /// </summary>
    public sealed class SealedFrameGuard
    {
        /// <summary>Default freshness window: two minutes each way.</summary>
        public const long DefaultWindowMilliseconds = 120000;

        /// <summary>Default number of nonces remembered.</summary>
        public const int DefaultCapacity = 4096;

        private readonly IFrameAuthenticator _keys;
        private readonly uint[] _senders;
        private readonly ulong[] _nonces;
        private readonly long[] _times;
        private readonly bool[] _used;
        private readonly long[] _counts = new long[6];
        private long _floor = long.MinValue;

        /// <summary>Creates the guard of node <paramref name="self"/>.</summary>
        public SealedFrameGuard(uint self, IFrameAuthenticator keys, long windowMilliseconds, int capacity)
        {
            if (windowMilliseconds < 1 || capacity < 1)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            Self = self;
            _keys = keys;
            WindowMilliseconds = windowMilliseconds;
            _senders = new uint[capacity];
            _nonces = new ulong[capacity];
            _times = new long[capacity];
            _used = new bool[capacity];
        }

        /// <summary>This node's router id: frames for others are refused.</summary>
        public uint Self { get; }

        /// <summary>Freshness window, each way.</summary>
        public long WindowMilliseconds { get; }

        /// <summary>Frames with <paramref name="verdict"/> so far.</summary>
        public long Count(SealVerdict verdict)
        {
            return _counts[(int)verdict];
        }

        /// <summary>
        /// Checks one frame against the receiver's clock <paramref name="nowMs"/> (Unix ms); fills
        /// <paramref name="header"/> when it parses. Only <see cref="SealVerdict.Accepted"/> frames may be used.
        /// </summary>
        public SealVerdict Open(byte[] buffer, int offset, int length, long nowMs, SealedFrameHeader header)
        {
            SealVerdict v = Decide(buffer, offset, length, nowMs, header);
            _counts[(int)v]++;
            return v;
        }

        private SealVerdict Decide(byte[] buffer, int offset, int length, long nowMs, SealedFrameHeader header)
        {
            try
            {
                SealedFrame.Parse(buffer, offset, length, header);
            }
            catch (ProtocolViolationException)
            {
                return SealVerdict.Malformed;
            }

            if (header.Receiver != Self)
            {
                return SealVerdict.NotForUs;
            }

            long age = nowMs - header.TimestampMs;
            if (age > WindowMilliseconds || age < -WindowMilliseconds)
            {
                return SealVerdict.Stale;
            }

            int signed = SealedFrame.HeaderBytes + header.BodyLength;
            if (!_keys.Verify(header.Sender, buffer, offset, signed, buffer, offset + signed))
            {
                return SealVerdict.Stranger;
            }

            if (header.TimestampMs <= _floor)
            {
                return SealVerdict.Replay;
            }

            int free = -1;
            int oldest = -1;
            for (int i = 0; i < _used.Length; i++)
            {
                if (!_used[i] || nowMs - _times[i] > WindowMilliseconds)
                {
                    // unused, or so old that a replay of it would be refused as stale anyway: the slot is free
                    _used[i] = false;
                    if (free < 0)
                    {
                        free = i;
                    }

                    continue;
                }

                if (_senders[i] == header.Sender && _nonces[i] == header.Nonce)
                {
                    return SealVerdict.Replay;
                }

                if (oldest < 0 || _times[i] < _times[oldest])
                {
                    oldest = i;
                }
            }

            if (free < 0)
            {
                free = oldest;
                if (_times[oldest] > _floor)
                {
                    _floor = _times[oldest];
                }

                if (header.TimestampMs <= _floor)
                {
                    return SealVerdict.Replay;
                }
            }

            _used[free] = true;
            _senders[free] = header.Sender;
            _nonces[free] = header.Nonce;
            _times[free] = header.TimestampMs;
            return SealVerdict.Accepted;
        }
    }
}
