using System;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// A side's inventory as it tells a peer (protocol 3): its version, and either everything held (Whole) or the
    /// changes since the version the peer holds (Present: items held now, with kind and length; Gone: ids no
    /// longer held). An unchanged inventory is a delta with no entries and <see cref="Since"/> equal to
    /// <see cref="Version"/>. Equal versions of one side always mean equal contents.
    /// </summary>
    public sealed class InventoryChanges
    {
        private static readonly string[] s_none = new string[0];

        /// <summary>Creates the answer; <paramref name="since"/> is 0 for a whole inventory.</summary>
        public InventoryChanges(long version, bool whole, long since, InventoryEntry[] present, string[] gone)
        {
            if (version < 0 || since < 0 || (whole && since != 0) || (!whole && since < 1))
            {
                throw new ArgumentOutOfRangeException("version");
            }

            if (whole && gone.Length > 0)
            {
                throw new ArgumentException("a whole inventory lists no gone ids");
            }

            Version = version;
            Whole = whole;
            Since = since;
            Present = present;
            Gone = gone;
        }

        /// <summary>A whole inventory at <paramref name="version"/>.</summary>
        public static InventoryChanges WholeAt(long version, InventoryEntry[] items)
        {
            return new InventoryChanges(version, true, 0, items, s_none);
        }

        /// <summary>The inventory version these changes lead to (0: unversioned, a protocol-2 peer's inventory).</summary>
        public long Version { get; }

        /// <summary>True when this is everything held (the receiver forgets what it knew).</summary>
        public bool Whole { get; }

        /// <summary>The version the changes start from (0 for a whole inventory).</summary>
        public long Since { get; }

        /// <summary>Items held at <see cref="Version"/> that are new or changed since <see cref="Since"/> (whole: all).</summary>
        public InventoryEntry[] Present { get; }

        /// <summary>Ids held at <see cref="Since"/> and no longer at <see cref="Version"/>.</summary>
        public string[] Gone { get; }

        /// <summary>Entries in total.</summary>
        public int Count
        {
            get { return Present.Length + Gone.Length; }
        }
    }
}
