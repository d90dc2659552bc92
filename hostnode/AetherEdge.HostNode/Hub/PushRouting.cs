using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Push;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// One hub put's routing: each file's shards go where the plan puts a fresh file (<see cref="PlacementOracle.PlanFresh"/>);
    /// those planned for a trusted peer this hub can reach now are streamed over a push link (one per peer, opened on
    /// first use, dialled only at addresses this hub already knows for that device ID), the rest are kept here
    /// (a holder that is offline gets its shards later by the normal sync and repair).
    /// </summary>
    internal sealed class PushRouting : IShardRouting, IDisposable
    {
        /// <summary>Addresses with no device ID yet that one holder's push may try.</summary>
        private const int MaxUntiedTries = 2;

        private readonly PlacementOracle _oracle;
        private readonly PeerDirectory _directory;
        private readonly TlsPeerPolicy _policy;
        private readonly CancellationToken _cancellation;
        private readonly Dictionary<string, PushLink?> _links = new(StringComparer.Ordinal);
        private readonly List<string> _unreachable = new();

        public PushRouting(PlacementOracle oracle, PeerDirectory directory, TlsPeerPolicy policy, CancellationToken cancellation)
        {
            _oracle = oracle;
            _directory = directory;
            _policy = policy;
            _cancellation = cancellation;
        }

        /// <summary>Peers that could not be reached for a push (their shards were kept here).</summary>
        public IReadOnlyList<string> Unreachable => _unreachable;

        /// <summary>Shard bytes streamed to each peer.</summary>
        public long BytesPushed
        {
            get
            {
                lock (_links)
                {
                    return _links.Values.Sum(l => l?.BytesSent ?? 0);
                }
            }
        }

        public IShardSink?[]? Route(string fileId, ShardLayout layout)
        {
            string?[] plan = _oracle.PlanFresh(layout.ShardBytes, layout.DataShards, layout.TotalShards);
            IShardSink?[]? sinks = null;
            for (int i = 0; i < plan.Length; i++)
            {
                if (plan[i] is not { } holder || holder == _oracle.SelfId || LinkFor(holder) is not { } link)
                {
                    continue;
                }

                sinks ??= new IShardSink?[plan.Length];
                sinks[i] = new PushSink(link, PushProtocol.ProvisionalId(fileId, i), layout.ShardBytes);
            }

            return sinks;
        }

        public int PlannedLocal(ShardLayout layout)
        {
            int local = 0;
            foreach (string? holder in _oracle.PlanFresh(layout.ShardBytes, layout.DataShards, layout.TotalShards))
            {
                if (holder == null || holder == _oracle.SelfId)
                {
                    local++;
                }
            }

            return local;
        }

        private PushLink? LinkFor(string holder)
        {
            lock (_links)
            {
                if (_links.TryGetValue(holder, out var known))
                {
                    return known;
                }

                PushLink? link = null;
                if (DeviceId.TryParse(holder, out var id, out _))
                {
                    // Addresses this hub already proved or was given for that device; the TLS handshake proves it again.
                    // Then addresses not yet tied to any device (a --peers address this hub has not dialled since the
                    // peer came up: the peer may have synced with us by dialling in); the TLS pin to the holder's ID
                    // decides, and at most two such tries keep a put from waiting on stale suggestions.
                    var addresses = _directory.Snapshot();
                    var tied = addresses.Where(p => p.Id == id).OrderByDescending(p => p.Proven);
                    var untied = addresses.Where(p => p.Id == null).Take(MaxUntiedTries);
                    foreach (var at in tied.Concat(untied))
                    {
                        try
                        {
                            link = PushLink.OpenAsync(_policy, at.EndPoint, id, _cancellation).GetAwaiter().GetResult();
                            at.Id ??= id;
                            break;
                        }
                        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                        {
                            _cancellation.ThrowIfCancellationRequested();
                        }
                    }
                }

                if (link == null)
                {
                    _unreachable.Add(holder);
                }

                _links[holder] = link;
                return link;
            }
        }

        public void Dispose()
        {
            lock (_links)
            {
                foreach (var link in _links.Values)
                {
                    link?.Dispose();
                }

                _links.Clear();
            }
        }
    }
}
