using System.Collections;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// The peer's inventory of one session, in the order it arrived, for hosts that keep nothing across sessions
    /// (their <see cref="ISyncSessionHost.HeldPeerInventoryVersion"/> is 0, so every inventory they get is whole).
    /// </summary>
    public sealed class PeerInventoryList
    {
        private readonly ArrayList _items = new ArrayList();
        private readonly Hashtable _ids = new Hashtable();

        /// <summary>Applies a part as <see cref="ISyncSessionHost.OnPeerInventory"/> passes it.</summary>
        public void Apply(InventoryChanges part, bool first)
        {
            if (first && part.Whole)
            {
                _items.Clear();
                _ids.Clear();
            }

            for (int i = 0; i < part.Present.Length; i++)
            {
                if (!_ids.Contains(part.Present[i].Id))
                {
                    _ids[part.Present[i].Id] = true;
                    _items.Add(part.Present[i]);
                }
            }

            if (part.Gone.Length == 0)
            {
                return;
            }

            for (int i = 0; i < part.Gone.Length; i++)
            {
                _ids.Remove(part.Gone[i]);
            }

            for (int i = _items.Count - 1; i >= 0; i--)
            {
                if (!_ids.Contains(((InventoryEntry)_items[i]!).Id))
                {
                    _items.RemoveAt(i);
                }
            }
        }

        /// <summary>Entries held, in arrival order.</summary>
        public InventoryEntry[] ToArray()
        {
            var a = new InventoryEntry[_items.Count];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (InventoryEntry)_items[i]!;
            }

            return a;
        }
    }
}
