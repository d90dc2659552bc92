using System;

namespace AetherEdge.Core.Sync
{
    /// <summary>Common header fields of every frame: type, send time and a random nonce (replay defence).</summary>
    public abstract class SyncFrame
    {
        /// <summary>Creates the header part.</summary>
        protected SyncFrame(SyncFrameType type)
        {
            Type = type;
        }

        /// <summary>The frame type.</summary>
        public SyncFrameType Type { get; }

        /// <summary>Sender's wall clock, milliseconds since 1970-01-01 UTC.</summary>
        public long TimestampMilliseconds { get; set; }

        /// <summary>64 random bits, unique per frame within the replay window.</summary>
        public ulong Nonce { get; set; }

        /// <summary>Bytes of the payload as encoded.</summary>
        public abstract int PayloadLength { get; }

        /// <summary>Writes the payload at <paramref name="offset"/>; the caller checked the space.</summary>
        internal abstract void WritePayload(byte[] buffer, int offset);

        /// <summary>Checks an item id: 1..MaxItemIdLength characters of A-Z a-z 0-9 . _ - :, starting with a letter or digit (safe as a file name).</summary>
        public static bool IsValidItemId(string id)
        {
            if (id == null || id.Length == 0 || id.Length > SyncLimits.MaxItemIdLength)
            {
                return false;
            }

            char first = id[0];
            if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || (first >= '0' && first <= '9')))
            {
                return false;
            }

            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == ':';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        internal static void RequireItemId(string id)
        {
            if (!IsValidItemId(id))
            {
                throw new ArgumentException("item id must be 1.." + SyncLimits.MaxItemIdLength + " characters of A-Z a-z 0-9 . _ - :");
            }
        }
    }

    /// <summary>What kind of item an inventory entry names.</summary>
    public enum SyncItemKind
    {
        /// <summary>An erasure-coded shard.</summary>
        Shard = 0,

        /// <summary>A file manifest (which shards make the file).</summary>
        Manifest = 1,
    }

    /// <summary>One inventory entry: kind, id and length in bytes.</summary>
    public sealed class InventoryEntry
    {
        /// <summary>Creates an entry.</summary>
        public InventoryEntry(SyncItemKind kind, string id, long length)
        {
            SyncFrame.RequireItemId(id);
            if (length < 0)
            {
                throw new ArgumentOutOfRangeException("length");
            }

            Kind = kind;
            Id = id;
            Length = length;
        }

        /// <summary>Shard or manifest.</summary>
        public SyncItemKind Kind { get; }

        /// <summary>Item id.</summary>
        public string Id { get; }

        /// <summary>Item length in bytes.</summary>
        public long Length { get; }
    }

    /// <summary>One wanted item and the offset to resume from (bytes already held).</summary>
    public sealed class WantEntry
    {
        /// <summary>Creates an entry.</summary>
        public WantEntry(string id, long offset)
        {
            SyncFrame.RequireItemId(id);
            if (offset < 0)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            Id = id;
            Offset = offset;
        }

        /// <summary>Item id.</summary>
        public string Id { get; }

        /// <summary>Resume offset.</summary>
        public long Offset { get; }
    }

    /// <summary>Result codes of an Ack frame.</summary>
    public enum AckStatus
    {
        /// <summary>Stored and its SHA-256 matched.</summary>
        Ok = 0,

        /// <summary>Hash mismatch; the partial copy was discarded.</summary>
        BadHash = 1,

        /// <summary>No room under the allocation.</summary>
        NoSpace = 2,

        /// <summary>Local storage failed.</summary>
        StoreError = 3,

        /// <summary>The peer does not hold the item (reported locally from a Have, never sent in an Ack).</summary>
        NotHeld = 4,
    }

    /// <summary>Error codes of an Error frame.</summary>
    public enum SyncErrorCode
    {
        /// <summary>The peer broke the protocol.</summary>
        ProtocolViolation = 1,

        /// <summary>Unsupported protocol version.</summary>
        UnsupportedVersion = 2,

        /// <summary>The sender is shutting down.</summary>
        ShuttingDown = 3,

        /// <summary>Something failed locally.</summary>
        Internal = 4,
    }
}
