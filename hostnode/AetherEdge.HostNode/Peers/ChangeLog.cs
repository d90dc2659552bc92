namespace AetherEdge.HostNode.Peers
{
    /// <summary>
    /// A bounded log of changed item ids with a cursor, for readers that keep work per item (plans per file)
    /// and redo only what changed. Past <c>capacity</c> entries, or after <see cref="AddAll"/>, a reader
    /// behind that point learns "unknown" (null) and redoes everything. Thread-safe.
    /// </summary>
    public sealed class ChangeLog
    {
        private readonly int _capacity;
        private readonly List<string> _ids = new();
        private readonly object _gate = new();
        private long _start;
        private long _allAt = -1;

        public ChangeLog(int capacity)
        {
            _capacity = capacity;
        }

        /// <summary>Position after the last change.</summary>
        public long Cursor
        {
            get
            {
                lock (_gate)
                {
                    return _start + _ids.Count;
                }
            }
        }

        public void Add(string id)
        {
            lock (_gate)
            {
                if (_ids.Count >= _capacity)
                {
                    // Forget the older half: readers behind it recompute everything.
                    int drop = _capacity / 2;
                    _ids.RemoveRange(0, drop);
                    _start += drop;
                }

                _ids.Add(id);
            }
        }

        /// <summary>Everything may have changed (readers behind this point redo all).</summary>
        public void AddAll()
        {
            lock (_gate)
            {
                _allAt = _start + _ids.Count;
                _ids.Add(string.Empty);
            }
        }

        /// <summary>Ids changed since <paramref name="cursor"/>, or null when that is unknown.</summary>
        public IReadOnlyList<string>? Since(long cursor)
        {
            lock (_gate)
            {
                if (cursor < _start || cursor <= _allAt)
                {
                    return null;
                }

                int from = (int)(cursor - _start);
                return from >= _ids.Count ? Array.Empty<string>() : _ids.GetRange(from, _ids.Count - from);
            }
        }
    }
}
