using System.Collections.Concurrent;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>The hub's session policy: record what peers say and hold, pull missing manifests and the shards the pull policy accepts.</summary>
    public sealed class HubSyncHosts : ISyncHostFactory
    {
        private readonly INodeStore _store;
        private readonly IPullPolicy _policy;
        private readonly PeerKnowledge _peers;
        private readonly ConcurrentDictionary<string, DeviceId> _claims = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<DeviceId, PeerWants> _wants = new();
        private long _evaluated;
        private readonly ILogger<HubSyncHosts> _log;
        private readonly LogBudget _budget;

        public HubSyncHosts(INodeStore store, IPullPolicy policy, PeerKnowledge peers, TimeProvider? clock = null, ILogger<HubSyncHosts>? log = null)
        {
            _store = store;
            _policy = policy;
            _peers = peers;
            _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<HubSyncHosts>.Instance;
            _budget = new LogBudget(PeerDialer.LogLinesPerMinute, clock);
        }

        public ISyncSessionHost Create(DeviceId peer) => new Host(this, peer);

        /// <summary>
        /// Offered items looked at to choose wants, since start: a session over unchanged inventories and plans adds
        /// nothing, a put of one file adds about its item count (counted by tests, the work a session does).
        /// </summary>
        public long ItemsEvaluated => Interlocked.Read(ref _evaluated);

        // Per peer, across sessions: what the last choice was made from, and what was wanted and has not arrived.
        private sealed class PeerWants
        {
            public string Key { get; set; } = string.Empty;

            public long StoreCursor { get; set; }

            public long PeersCursor { get; set; }

            public bool Evaluated { get; set; }

            public HashSet<string> Retry { get; } = new(StringComparer.Ordinal);
        }

        private sealed class Host : ISyncSessionHost, IDisposable
        {
            private readonly HubSyncHosts _owner;
            private readonly DeviceId _peer;
            private readonly HashSet<string> _mine = new(StringComparer.Ordinal);
            private readonly HashSet<string> _offered = new(StringComparer.Ordinal);
            private bool _whole;

            public Host(HubSyncHosts owner, DeviceId peer)
            {
                _owner = owner;
                _peer = peer;
            }

            public void OnPeerHello(HelloFrame hello) => _owner._peers.Heard(_peer, hello);

            public long HeldPeerInventoryVersion() => _owner._peers.InventoryVersion(_peer);

            public void OnPeerInventory(InventoryChanges part, bool first, bool final)
            {
                _owner._peers.StageInventory(_peer, part, first);
                if (part.Whole)
                {
                    _whole = true;
                }
                else
                {
                    foreach (var e in part.Present)
                    {
                        _offered.Add(e.Id);
                    }
                }

                if (final)
                {
                    _owner._peers.CommitInventory(_peer, part.Version);
                }
            }

            public string[] ChooseWants()
            {
                var state = _owner._wants.GetOrAdd(_peer, _ => new PeerWants());
                lock (state)
                {
                    var wants = new List<string>();
                    using var batch = _owner._policy.Batch();
                    foreach (string id in Candidates(state))
                    {
                        Interlocked.Increment(ref _owner._evaluated);
                        bool manifest = _owner._peers.HoldsManifest(_peer, id);
                        if (!manifest && !_owner._peers.Holds(_peer, id))
                        {
                            state.Retry.Remove(id);
                            continue;
                        }

                        bool missing = manifest ? !_owner._store.HasManifest(id) : !_owner._store.HasShard(id);
                        if (!missing || (!manifest && !_owner._policy.ShouldPull(id, _peer)))
                        {
                            state.Retry.Remove(id);
                            continue;
                        }

                        // Wanted until it arrives: asked again in later sessions whatever else changed.
                        state.Retry.Add(id);

                        // Another session may already be pulling it from a different peer.
                        if (_owner._claims.TryAdd(id, _peer))
                        {
                            _mine.Add(id);
                            wants.Add(id);
                        }
                    }

                    return wants.ToArray();
                }
            }

            // What may be wanted now: everything after a whole inventory or a changed plan state; else the items
            // the peer's delta named, those wanted before and not received, repair inputs, and the files whose
            // holders or manifests changed here since the last look. An idle session looks at nothing.
            private IEnumerable<string> Candidates(PeerWants state)
            {
                string key = _owner._policy.StateKey();
                long storeCursor = _owner._store.ChangeCursor;
                long peersCursor = _owner._peers.ChangeCursor;
                var storeChanges = state.Evaluated ? _owner._store.ChangedSince(state.StoreCursor) : null;
                var peerChanges = state.Evaluated ? _owner._peers.ChangedSince(state.PeersCursor) : null;
                bool all = _whole || key != state.Key || storeChanges == null || peerChanges == null;
                state.Key = key;
                state.StoreCursor = storeCursor;
                state.PeersCursor = peersCursor;
                state.Evaluated = true;
                _whole = false;
                var offered = _offered.ToArray();
                _offered.Clear();
                if (all)
                {
                    return _owner._peers.ManifestsHeldBy(_peer).Concat(_owner._peers.ShardsHeldBy(_peer)).ToArray();
                }

                var ids = new HashSet<string>(offered, StringComparer.Ordinal);
                ids.UnionWith(state.Retry);
                ids.UnionWith(_owner._policy.Extra());
                foreach (string changed in storeChanges!.Concat(peerChanges!))
                {
                    ids.Add(changed);
                    ids.UnionWith(_owner._policy.FileShards(changed));
                }

                // Manifests first: a new file's shards are planned once its manifest is here.
                return ids.OrderBy(id => _owner._peers.HoldsManifest(_peer, id) ? 0 : 1).ToArray();
            }

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
            {
                Release(id);
                if (status == AckStatus.Ok && _owner._wants.TryGetValue(_peer, out var state))
                {
                    lock (state)
                    {
                        state.Retry.Remove(id);
                    }
                }

                if (status is AckStatus.NoSpace or AckStatus.BadHash or AckStatus.StoreError && _owner._budget.TryTake(status.ToString(), out long withheld))
                {
                    string why = status switch
                    {
                        AckStatus.NoSpace => "no room left under this device's allocation",
                        AckStatus.BadHash => "its bytes did not match its hash (discarded)",
                        _ => "local storage failed",
                    };
                    _owner._log.LogWarning("sync with {Peer}: {Kind} {Item} not stored: {Why}{Withheld}", _peer.Short, kind.ToString().ToLowerInvariant(), id, why, LogBudget.Withheld(withheld));
                }
            }

            public void OnItemServed(string id, AckStatus status)
            {
                if (status == AckStatus.Ok)
                {
                    _owner._peers.Served(_peer, id);
                }
                else if (status == AckStatus.BadHash)
                {
                    // Served without a re-hash: the peer's check is the one that found it; look here too.
                    _owner._store.PeerRefused(id);
                }
            }

            public void OnBytesReceived(long bytes)
            {
            }

            public void Dispose()
            {
                foreach (string id in _mine.ToArray())
                {
                    Release(id);
                }
            }

            private void Release(string id)
            {
                if (_mine.Remove(id))
                {
                    _owner._claims.TryRemove(id, out _);
                }
            }
        }
    }
}
