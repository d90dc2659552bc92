namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// The reconciliation walk of a store opened with <see cref="ShardStore.OpenReconcile.Quick"/>, one step at a time:
    /// stray files first, then each of the 65,536 leaf directories against its rows, then missing manifest files.
    /// Paced to <see cref="FilesPerSecond"/> (the injected clock says when the next step is due) so a hub serving
    /// 1.6 M shard files is not starved of IO by its own check. Nothing found by the walk can be served before it is
    /// reached unchecked: a local read re-hashes the shard (<see cref="ShardStore.TryOpenShard"/>), a serve checks its length and
    /// the receiver hashes it against its id (its refusal makes this side re-hash and quarantine).
    /// Synchronous and not thread-safe: the owner runs <see cref="Step"/> where the store's calls are serialised.
    /// </summary>
    public sealed class StoreWalk
    {
        /// <summary>Wait after a step that found the writers' lock taken (another process is putting).</summary>
        public static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);

        private const int StrayStep = 0;
        private const int BackfillStep = ShardStore.LeafCount + 1;

        private readonly ShardStore _store;
        private readonly TimeProvider _clock;
        private readonly long _started;
        private int _next;
        private bool _busy;

        public StoreWalk(ShardStore store, int filesPerSecond, TimeProvider clock)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filesPerSecond);
            _store = store;
            _clock = clock;
            FilesPerSecond = filesPerSecond;
            _started = clock.GetTimestamp();
        }

        /// <summary>Files (shard files and strays) looked at per second at most, on average since the walk began.</summary>
        public int FilesPerSecond { get; }

        /// <summary>What the walk found and repaired so far.</summary>
        public ReconcileReport Report { get; } = new();

        public long FilesChecked { get; private set; }

        /// <summary>Leaf directories checked (of <see cref="ShardStore.LeafCount"/>).</summary>
        public int LeavesChecked => Math.Clamp(_next - 1, 0, ShardStore.LeafCount);

        /// <summary>Times a step found the writers' lock taken and was left for later.</summary>
        public int BusySteps { get; private set; }

        public bool Done => _next > BackfillStep;

        /// <summary>Runs the next step. False when it must run again (the lock was busy) or the walk is done.</summary>
        public bool Step()
        {
            if (Done)
            {
                return false;
            }

            int seen = 0;
            if (_next == StrayStep)
            {
                seen = _store.CheckStrays(Report);
            }
            else if (_next == BackfillStep)
            {
                _store.BackfillManifests(Report);
            }
            else
            {
                seen = _store.CheckLeaf(_next - 1, Report);
            }

            _busy = seen < 0;
            if (_busy)
            {
                BusySteps++;
                return false;
            }

            FilesChecked += seen;
            _next++;
            return true;
        }

        /// <summary>How long to wait before the next step: the walk stays within <see cref="FilesPerSecond"/>.</summary>
        public TimeSpan Pause()
        {
            if (_busy)
            {
                return BusyRetry;
            }

            var due = TimeSpan.FromSeconds((double)FilesChecked / FilesPerSecond);
            var ahead = due - _clock.GetElapsedTime(_started);
            return ahead > TimeSpan.Zero ? ahead : TimeSpan.Zero;
        }
    }
}
