namespace AetherEdge.HostNode.Sync
{
    /// <summary>Counters behind the seed's mesh_* metrics; updated from many connections at once.</summary>
    public sealed class SyncMetrics
    {
        private long _attempts;
        private long _successes;
        private long _bytes;
        private long _latencyTotalMs;
        private long _lastLatencyMs;
        private long _rejected;
        private long _connected;
        private long _timeouts;
        private long _replaced;
        private long _keepAlives;

        /// <summary>Sessions ended because nothing moved for the idle timeout.</summary>
        public long Timeouts => Interlocked.Read(ref _timeouts);

        /// <summary>Stale sessions replaced by a newer one from the same peer.</summary>
        public long Replaced => Interlocked.Read(ref _replaced);

        /// <summary>KeepAlive frames sent by quiet sessions.</summary>
        public long KeepAlivesSent => Interlocked.Read(ref _keepAlives);

        internal void Timeout() => Interlocked.Increment(ref _timeouts);

        internal void Replacement() => Interlocked.Increment(ref _replaced);

        internal void KeepAlives(long n) => Interlocked.Add(ref _keepAlives, n);

        public long Attempts => Interlocked.Read(ref _attempts);

        public long Successes => Interlocked.Read(ref _successes);

        public long BytesTransferred => Interlocked.Read(ref _bytes);

        public long Rejected => Interlocked.Read(ref _rejected);

        public long Connected => Interlocked.Read(ref _connected);

        public long LastLatencyMilliseconds => Interlocked.Read(ref _lastLatencyMs);

        public double SuccessRate => Attempts == 0 ? 1.0 : (double)Successes / Attempts;

        public double MeanLatencyMilliseconds => Successes == 0 ? 0 : (double)Interlocked.Read(ref _latencyTotalMs) / Successes;

        internal void Attempt() => Interlocked.Increment(ref _attempts);

        internal void Success(long latencyMs)
        {
            Interlocked.Increment(ref _successes);
            Interlocked.Add(ref _latencyTotalMs, latencyMs);
            Interlocked.Exchange(ref _lastLatencyMs, latencyMs);
        }

        internal void Bytes(long n) => Interlocked.Add(ref _bytes, n);

        internal void Reject() => Interlocked.Increment(ref _rejected);

        internal void ConnectionOpened() => Interlocked.Increment(ref _connected);

        internal void ConnectionClosed() => Interlocked.Decrement(ref _connected);
    }
}
