using System;

namespace AetherEdge.Core.Sync
{
    /// <summary>One removal the sender knows of: a file id and when it was removed (ms since 1970, UTC).</summary>
    public sealed class RemovalEntry
    {
        /// <summary>Creates an entry.</summary>
        public RemovalEntry(string id, long removedAtMilliseconds)
        {
            SyncFrame.RequireItemId(id);
            if (removedAtMilliseconds < 0)
            {
                throw new ArgumentOutOfRangeException("removedAtMilliseconds");
            }

            Id = id;
            RemovedAtMilliseconds = removedAtMilliseconds;
        }

        /// <summary>The removed file's id (its manifest's item id).</summary>
        public string Id { get; }

        /// <summary>When it was removed.</summary>
        public long RemovedAtMilliseconds { get; }
    }

    /// <summary>
    /// Removed (protocol 2): files the sender removed (tombstones), so removals travel like any other change.
    /// Sent only to peers whose Hello says 2 or more, after their Hello, before the sender's Done.
    /// </summary>
    public sealed class RemovedFrame : IdValueListFrame
    {
        /// <summary>Creates a Removed frame of 1..MaxRemovalEntriesPerFrame entries.</summary>
        public RemovedFrame(RemovalEntry[] entries)
            : base(SyncFrameType.Removed)
        {
            if (entries.Length == 0 || entries.Length > SyncLimits.MaxRemovalEntriesPerFrame)
            {
                throw new ArgumentException("1.." + SyncLimits.MaxRemovalEntriesPerFrame + " entries per Removed frame");
            }

            Entries = entries;
        }

        /// <summary>The removals.</summary>
        public RemovalEntry[] Entries { get; }

        /// <inheritdoc/>
        protected override int Count => Entries.Length;

        /// <inheritdoc/>
        protected override string IdAt(int i) => Entries[i].Id;

        /// <inheritdoc/>
        protected override long ValueAt(int i) => Entries[i].RemovedAtMilliseconds;
    }
}
