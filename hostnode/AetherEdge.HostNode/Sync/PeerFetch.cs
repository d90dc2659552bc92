using System.Net;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// For <c>aether get</c> on a node that lacks a file's manifest or enough shards: dials trusted
    /// peers and pulls the manifest and only as many shards of that one file as it is short of K
    /// (resumable, verified), data shards first. They go into a <see cref="FetchScratch"/> store, never
    /// into the home's own.
    /// </summary>
    public static class PeerFetch
    {
        public const int AttemptsPerPeer = 3;
        public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// Shards of the file held in <paramref name="store"/> or <paramref name="also"/> and the number needed
        /// (K); (0, -1) without a manifest in either.
        /// </summary>
        public static (int Held, int Needed) Coverage(ShardStore store, string fileId, ShardStore? also = null)
        {
            byte[]? body = store.TryGetManifest(fileId) ?? also?.TryGetManifest(fileId);
            var layout = body == null ? null : ShardManifest.ReadUnverified(body);
            return layout == null ? (0, -1) : (layout.ShardIds.Count(id => store.HasShard(id) || also?.HasShard(id) == true), layout.DataShards);
        }

        /// <summary>
        /// Fetches into <paramref name="store"/> what <paramref name="held"/> and it lack of K shards (and the
        /// manifest when neither has it).
        /// </summary>
        public static async Task<(int Held, int Needed)> FetchAsync(string home, ShardStore store, ShardStore held, string fileId, IReadOnlyList<IPEndPoint> peers, TextWriter log, CancellationToken ct)
        {
            using var identity = NodeIdentity.LoadOrCreate(home);
            var circle = new TrustCircle(home);
            using var syncStore = new ShardStoreSyncStore(store, ShardStoreSyncStore.PartialsOf(home), keepAs: id =>
            {
                var layout = store.TryGetManifest(fileId) is { } body ? ShardManifest.ReadUnverified(body) : null;
                int index = layout == null ? -1 : Array.IndexOf(layout.ShardIds, id);
                return index < 0 ? null : (fileId, index);
            });
            var node = new SyncNode(identity, TlsPeerPolicy.ForCircle(identity, circle), syncStore, new FileHosts(syncStore, held, fileId), Hello);
            foreach (var peer in peers)
            {
                for (int attempt = 1; attempt <= AttemptsPerPeer; attempt++)
                {
                    var (count, needed) = Coverage(store, fileId, held);
                    if (needed > 0 && count >= needed)
                    {
                        return (count, needed);
                    }

                    try
                    {
                        var outcome = await node.SyncWithAsync(peer, null, ct);
                        log.WriteLine("fetched " + outcome.ItemsReceived + " items (" + Core.Allocation.ByteCount.WithBytes(outcome.BytesReceived) + ") from " + peer);
                        if (outcome.State == SyncSessionState.Complete)
                        {
                            break;
                        }
                    }
                    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException && !ct.IsCancellationRequested)
                    {
                        log.WriteLine("peer " + peer + ": " + e.Message);
                    }

                    await Task.Delay(RetryDelay, ct);
                }
            }

            return Coverage(store, fileId, held);
        }

        private static HelloFrame Hello() => new(SyncLimits.ProtocolVersion, (int)Core.Devices.DeviceKind.Desktop, 0, 0, 100, HelloFrame.FlagPluggedIn | HelloFrame.FlagWifiConnected, "aether-get");

        /// <summary>Pulls only the named file: its manifest, then its missing shards.</summary>
        private sealed class FileHosts : ISyncHostFactory
        {
            private readonly ShardStoreSyncStore _store;
            private readonly ShardStore _held;
            private readonly string _fileId;

            public FileHosts(ShardStoreSyncStore store, ShardStore held, string fileId)
            {
                _store = store;
                _held = held;
                _fileId = fileId;
            }

            private bool Has(string id) => _store.HasShard(id) || _held.HasShard(id);

            public ISyncSessionHost Create(DeviceId peer) => new Host(this);

            private sealed class Host : ISyncSessionHost
            {
                private readonly FileHosts _owner;

                public Host(FileHosts owner)
                {
                    _owner = owner;
                }

                public void OnPeerHello(HelloFrame hello)
                {
                }

                private readonly PeerInventoryList _offered = new();

                // Nothing kept across sessions: every peer sends its whole inventory.
                public long HeldPeerInventoryVersion() => 0;

                public void OnPeerInventory(InventoryChanges part, bool first, bool final) => _offered.Apply(part, first);

                public string[] ChooseWants()
                {
                    var peerInventory = _offered.ToArray();
                    var store = _owner._store;
                    if (!store.HasManifest(_owner._fileId))
                    {
                        return peerInventory.Any(e => e.Kind == SyncItemKind.Manifest && e.Id == _owner._fileId) ? new[] { _owner._fileId } : Array.Empty<string>();
                    }

                    var layout = ShardManifest.ReadUnverified(store.ReadManifest(_owner._fileId)!);
                    if (layout == null)
                    {
                        return Array.Empty<string>();
                    }

                    // Any K shards rebuild the file: ask only for what is short, data shards first (no decoding
                    // needed for them). A later round asks again if a transfer failed.
                    int shortBy = layout.DataShards - layout.ShardIds.Count(_owner.Has);
                    var offered = new HashSet<string>(peerInventory.Where(e => e.Kind == SyncItemKind.Shard).Select(e => e.Id), StringComparer.Ordinal);
                    return layout.ShardIds.Where(id => offered.Contains(id) && !_owner.Has(id)).Distinct().Take(Math.Max(0, shortBy)).ToArray();
                }

                public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
                {
                }

                public void OnItemServed(string id, AckStatus status)
                {
                }

                public void OnBytesReceived(long bytes)
                {
                }
            }
        }
    }
}
