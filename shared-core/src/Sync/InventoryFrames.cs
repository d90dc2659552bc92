using System;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// InventoryHeld (protocol 3): which version of the receiver's inventory the sender holds from an earlier session
    /// (0: none). Sent once, after the peer's Hello; the peer answers with its inventory as InventoryDelta frames.
    /// </summary>
    public sealed class InventoryHeldFrame : SyncFrame
    {
        /// <summary>Creates the frame.</summary>
        public InventoryHeldFrame(long version)
            : base(SyncFrameType.InventoryHeld)
        {
            if (version < 0)
            {
                throw new ArgumentOutOfRangeException("version");
            }

            Version = version;
        }

        /// <summary>The version of the receiver's inventory the sender holds; 0 for none.</summary>
        public long Version { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 8; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            WireFormat.WriteInt64(b, o, Version);
        }
    }

    /// <summary>
    /// InventoryDelta (protocol 3): one part of the sender's inventory at <see cref="Version"/>, either whole or as the
    /// changes since <see cref="Since"/> (the version the peer said it holds). Entries held are listed with kind and
    /// length, entries no longer held as gone ids. An unchanged inventory is one final part with no entries and
    /// Since equal to Version. Every part of one inventory carries the same flags (but Final), Since and Version.
    /// </summary>
    public sealed class InventoryDeltaFrame : SyncFrame
    {
        /// <summary>Flag: the last part.</summary>
        public const int FlagFinal = 1;

        /// <summary>Flag: a whole inventory (the receiver forgets what it held of the sender's).</summary>
        public const int FlagWhole = 2;

        /// <summary>Creates a part.</summary>
        public InventoryDeltaFrame(bool whole, bool final, long since, long version, InventoryEntry[] present, string[] gone)
            : base(SyncFrameType.InventoryDelta)
        {
            if (present.Length + gone.Length > SyncLimits.MaxInventoryEntriesPerFrame)
            {
                throw new ArgumentException("at most " + SyncLimits.MaxInventoryEntriesPerFrame + " entries per inventory frame");
            }

            if (version < 1 || (whole && (since != 0 || gone.Length > 0)) || (!whole && since < 1))
            {
                throw new ArgumentException("a whole inventory has no base and no gone ids; a delta has a base; the version is positive");
            }

            for (int i = 0; i < gone.Length; i++)
            {
                RequireItemId(gone[i]);
            }

            Whole = whole;
            Final = final;
            Since = since;
            Version = version;
            Present = present;
            Gone = gone;
        }

        /// <summary>True for a whole inventory.</summary>
        public bool Whole { get; }

        /// <summary>True on the last part.</summary>
        public bool Final { get; }

        /// <summary>The version the changes start from (0 when whole).</summary>
        public long Since { get; }

        /// <summary>The version the sender's inventory is at.</summary>
        public long Version { get; }

        /// <summary>Items held (new or changed since Since; whole: all of this part).</summary>
        public InventoryEntry[] Present { get; }

        /// <summary>Ids no longer held.</summary>
        public string[] Gone { get; }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get
            {
                int n = 1 + 8 + 8 + 2 + 2;
                for (int i = 0; i < Present.Length; i++)
                {
                    n += 1 + 1 + Present[i].Id.Length + 8;
                }

                for (int i = 0; i < Gone.Length; i++)
                {
                    n += 1 + Gone[i].Length;
                }

                return n;
            }
        }

        internal override void WritePayload(byte[] b, int o)
        {
            b[o] = (byte)((Final ? FlagFinal : 0) | (Whole ? FlagWhole : 0));
            WireFormat.WriteInt64(b, o + 1, Since);
            WireFormat.WriteInt64(b, o + 9, Version);
            WireFormat.WriteUInt16(b, o + 17, Present.Length);
            o += 19;
            for (int i = 0; i < Present.Length; i++)
            {
                b[o++] = (byte)Present[i].Kind;
                o = WireFormat.WriteAscii8(b, o, Present[i].Id);
                WireFormat.WriteInt64(b, o, Present[i].Length);
                o += 8;
            }

            WireFormat.WriteUInt16(b, o, Gone.Length);
            o += 2;
            for (int i = 0; i < Gone.Length; i++)
            {
                o = WireFormat.WriteAscii8(b, o, Gone[i]);
            }
        }
    }
}
