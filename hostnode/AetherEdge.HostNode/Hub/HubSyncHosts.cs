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

        private sealed class Host : ISyncSessionHost, IDisposable
        {
            private readonly HubSyncHosts _owner;
            private readonly DeviceId _peer;
            private readonly HashSet<string> _mine = new(StringComparer.Ordinal);

            public Host(HubSyncHosts owner, DeviceId peer)
            {
                _owner = owner;
                _peer = peer;
            }

            public void OnPeerHello(HelloFrame hello) => _owner._peers.Heard(_peer, hello);

            public string[] ChooseWants(InventoryEntry[] peerInventory)
            {
                _owner._peers.Inventory(_peer, peerInventory.Where(e => e.Kind == SyncItemKind.Shard).Select(e => e.Id));
                var wants = new List<string>();
                using var batch = _owner._policy.Batch();
                foreach (var e in peerInventory)
                {
                    bool missing = e.Kind == SyncItemKind.Manifest ? !_owner._store.HasManifest(e.Id) : !_owner._store.HasShard(e.Id);
                    if (!missing || (e.Kind == SyncItemKind.Shard && !_owner._policy.ShouldPull(e, _peer)))
                    {
                        continue;
                    }

                    // Another session may already be pulling it from a different peer.
                    if (_owner._claims.TryAdd(e.Id, _peer))
                    {
                        _mine.Add(e.Id);
                        wants.Add(e.Id);
                    }
                }

                return wants.ToArray();
            }

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
            {
                Release(id);
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
