using System.Collections.Concurrent;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Peers
{
    /// <summary>
    /// Peers' inventories as sync protocol 3 delivers them: whole or as changes since the version held here, in parts.
    /// Parts are staged and applied when the final one arrived, so a session cut off half-way leaves the last
    /// complete inventory (and its version) in place, and plans never see a half-received one.
    /// </summary>
    public sealed partial class PeerKnowledge
    {
        private readonly ConcurrentDictionary<DeviceId, ConcurrentDictionary<string, bool>> _manifestsHeld = new();
        private readonly ConcurrentDictionary<DeviceId, Staged> _staged = new();

        /// <summary>Stages one part of <paramref name="peer"/>'s inventory (the first part starts afresh).</summary>
        public void StageInventory(DeviceId peer, InventoryChanges part, bool first)
        {
            if (first)
            {
                _staged[peer] = new Staged(part.Whole);
            }

            var staged = _staged.GetOrAdd(peer, _ => new Staged(part.Whole));
            // Shards staged as 32-byte keys: a whole inventory of a hub of 100,000 files is 1.5 M of them (issue 17).
            foreach (var e in part.Present)
            {
                if (e.Kind == SyncItemKind.Manifest)
                {
                    staged.Manifests.Add(e.Id);
                }
                else if (ShardKey.TryParse(e.Id, out var key))
                {
                    staged.Shards.Add(key);
                }
            }

            staged.Gone.AddRange(part.Gone);
        }

        /// <summary>
        /// Applies the staged parts: the peer now holds its inventory at <paramref name="version"/> (0: unversioned).
        /// A whole one replaces what was known (changes logged by difference), a delta changes only its ids.
        /// </summary>
        public void CommitInventory(DeviceId peer, long version)
        {
            if (!_staged.TryRemove(peer, out var staged))
            {
                return;
            }

            if (staged.Whole || !_holds.ContainsKey(peer))
            {
                var manifests = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
                foreach (string id in staged.Manifests)
                {
                    manifests[id] = true;
                }

                _manifestsHeld[peer] = manifests;
                Inventory(peer, new HeldShards(staged.Shards), version);
                return;
            }

            var held = _holds[peer];
            var heldManifests = _manifestsHeld.GetOrAdd(peer, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
            bool changed = false;

            // Acknowledged since the last inventory: held only if this delta lists it (see Served).
            if (_provisional.TryRemove(peer, out var provisional))
            {
                var listed = new HashSet<ShardKey>(staged.Shards);
                foreach (string id in provisional.Keys)
                {
                    if (!(ShardKey.TryParse(id, out var key) && listed.Contains(key)) && held.Remove(id))
                    {
                        _changes.Add(id);
                        changed = true;
                    }
                }
            }

            foreach (string id in staged.Gone)
            {
                heldManifests.TryRemove(id, out _);
                if (held.Remove(id))
                {
                    _changes.Add(id);
                    changed = true;
                }
            }

            foreach (string id in staged.Manifests)
            {
                heldManifests[id] = true;
            }

            foreach (var key in staged.Shards)
            {
                if (held.Add(key))
                {
                    _changes.Add(key.ToString());
                    changed = true;
                }
            }

            _inventoryVersions[peer] = version;
            _inventoryAt[peer] = _clock.GetUtcNow();
            if (changed)
            {
                Bump();
            }
        }

        /// <summary>Manifest ids in <paramref name="peer"/>'s last inventory.</summary>
        public ICollection<string> ManifestsHeldBy(DeviceId peer) =>
            _manifestsHeld.TryGetValue(peer, out var m) ? m.Keys : Array.Empty<string>();

        /// <summary>Shard ids <paramref name="peer"/> holds (its last inventory and what it acknowledged since).</summary>
        public ICollection<string> ShardsHeldBy(DeviceId peer) =>
            _holds.TryGetValue(peer, out var h) ? h.Ids() : Array.Empty<string>();

        /// <summary>True when <paramref name="peer"/>'s last inventory lists manifest <paramref name="id"/>.</summary>
        public bool HoldsManifest(DeviceId peer, string id) => _manifestsHeld.TryGetValue(peer, out var m) && m.ContainsKey(id);

        private sealed class Staged
        {
            public Staged(bool whole)
            {
                Whole = whole;
            }

            public bool Whole { get; }

            public List<string> Manifests { get; } = new();

            public List<ShardKey> Shards { get; } = new();

            public List<string> Gone { get; } = new();
        }
    }
}
