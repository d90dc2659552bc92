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
        private long _noSpace;
        private long _badHash;
        private long _storeError;

        /// <summary>Items offered by a peer that this node could not take for lack of room under its allocation.</summary>
        public long ItemsRefusedNoSpace => Interlocked.Read(ref _noSpace);

        /// <summary>Items whose bytes did not match their hash (discarded).</summary>
        public long ItemsRefusedBadHash => Interlocked.Read(ref _badHash);

        /// <summary>Items local storage failed to keep.</summary>
        public long ItemsRefusedStoreError => Interlocked.Read(ref _storeError);

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

        internal void ItemRefused(AetherEdge.Core.Sync.AckStatus status)
        {
            switch (status)
            {
                case AetherEdge.Core.Sync.AckStatus.NoSpace:
                    Interlocked.Increment(ref _noSpace);
                    break;
                case AetherEdge.Core.Sync.AckStatus.BadHash:
                    Interlocked.Increment(ref _badHash);
                    break;
                case AetherEdge.Core.Sync.AckStatus.StoreError:
                    Interlocked.Increment(ref _storeError);
                    break;
            }
        }

        internal void ConnectionOpened() => Interlocked.Increment(ref _connected);

        internal void ConnectionClosed() => Interlocked.Decrement(ref _connected);
    }
}
