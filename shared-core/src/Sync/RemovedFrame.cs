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
    public sealed class RemovedFrame : SyncFrame
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
        public override int PayloadLength
        {
            get
            {
                int n = 2;
                for (int i = 0; i < Entries.Length; i++)
                {
                    n += 1 + Entries[i].Id.Length + 8;
                }

                return n;
            }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            WireFormat.WriteUInt16(b, o, Entries.Length);
            o += 2;
            for (int i = 0; i < Entries.Length; i++)
            {
                o = WireFormat.WriteAscii8(b, o, Entries[i].Id);
                WireFormat.WriteInt64(b, o, Entries[i].RemovedAtMilliseconds);
                o += 8;
            }
        }
    }
}
