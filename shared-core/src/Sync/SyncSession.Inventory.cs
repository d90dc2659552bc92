using System;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// Inventories: protocol 3 sends the changes since the version the peer holds (InventoryHeld, InventoryDelta);
    /// older peers get and send whole Inventory frames. Every received part goes to the host as it arrives.
    /// </summary>
    public sealed partial class SyncSession
    {
        // The whole inventory in protocol-1/2 Inventory frames (a peer that does not speak inventory versions).
        private void QueueWholeInventory()
        {
            InventoryEntry[] items = _store.ListItems();
            InventoryEntriesSent += items.Length;
            int i = 0;
            do
            {
                int n = items.Length - i;
                if (n > SyncLimits.MaxInventoryEntriesPerFrame)
                {
                    n = SyncLimits.MaxInventoryEntriesPerFrame;
                }

                var part = new InventoryEntry[n];
                Array.Copy(items, i, part, 0, n);
                i += n;
                _control.Add(new InventoryFrame(part, i >= items.Length));
            }
            while (i < items.Length);
        }

        private void OnInventory(InventoryFrame inventory)
        {
            if (_versioned)
            {
                throw new ProtocolViolationException("Inventory frame from a protocol-" + PeerHello!.ProtocolVersion + " peer (InventoryDelta expected)");
            }

            if (_peerInventoryComplete)
            {
                throw new ProtocolViolationException("Inventory frame after the final one");
            }

            bool first = !_peerInventoryStarted;
            _peerInventoryStarted = true;
            Count(inventory.Entries.Length, SyncLimits.MaxInventoryEntries);
            _host.OnPeerInventory(new InventoryChanges(0, true, 0, inventory.Entries, new string[0]), first, inventory.Final);
            _peerInventoryComplete = inventory.Final;
        }

        // The peer holds version Version of our inventory: answer with what changed since (or everything, or nothing).
        private void OnInventoryHeld(InventoryHeldFrame held)
        {
            if (!_versioned || _inventoryAsked)
            {
                throw new ProtocolViolationException(_versioned ? "second InventoryHeld frame" : "InventoryHeld frame without protocol " + SyncLimits.InventoryVersionsSinceVersion + " on both sides");
            }

            _inventoryAsked = true;
            InventoryChanges changes = _store.InventorySince(held.Version);
            InventoryEntriesSent += changes.Count;
            int p = 0;
            int g = 0;
            do
            {
                int np = changes.Present.Length - p;
                if (np > SyncLimits.MaxInventoryEntriesPerFrame)
                {
                    np = SyncLimits.MaxInventoryEntriesPerFrame;
                }

                int ng = changes.Gone.Length - g;
                if (ng > SyncLimits.MaxInventoryEntriesPerFrame - np)
                {
                    ng = SyncLimits.MaxInventoryEntriesPerFrame - np;
                }

                var present = new InventoryEntry[np];
                Array.Copy(changes.Present, p, present, 0, np);
                var gone = new string[ng];
                Array.Copy(changes.Gone, g, gone, 0, ng);
                p += np;
                g += ng;
                bool final = p >= changes.Present.Length && g >= changes.Gone.Length;
                _control.Add(new InventoryDeltaFrame(changes.Whole, final, changes.Since, changes.Version, present, gone));
            }
            while (p < changes.Present.Length || g < changes.Gone.Length);
        }

        private void OnInventoryDelta(InventoryDeltaFrame part)
        {
            if (!_versioned || _peerInventoryComplete)
            {
                throw new ProtocolViolationException(_versioned ? "InventoryDelta frame after the final one" : "InventoryDelta frame without protocol " + SyncLimits.InventoryVersionsSinceVersion + " on both sides");
            }

            bool first = _firstPart == null;
            if (first)
            {
                if (!part.Whole && part.Since != _heldPeerVersion)
                {
                    throw new ProtocolViolationException("InventoryDelta since version " + part.Since + ", but this side holds " + _heldPeerVersion);
                }

                _firstPart = part;
            }
            else if (part.Whole != _firstPart!.Whole || part.Since != _firstPart.Since || part.Version != _firstPart.Version)
            {
                throw new ProtocolViolationException("InventoryDelta part differs from the first part in whole/since/version");
            }

            Count(part.Present.Length + part.Gone.Length, SyncLimits.MaxPeerInventoryEntries);
            _host.OnPeerInventory(new InventoryChanges(part.Version, part.Whole, part.Since, part.Present, part.Gone), first, part.Final);
            _peerInventoryComplete = part.Final;
        }

        private void Count(int entries, int limit)
        {
            if (InventoryEntriesReceived + entries > limit)
            {
                throw new ProtocolViolationException("inventory over " + limit + " entries");
            }

            InventoryEntriesReceived += entries;
        }
    }
}
