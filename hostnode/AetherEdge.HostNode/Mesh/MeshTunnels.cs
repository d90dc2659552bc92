using System.Net;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Logging;
using Nerdbank.Streams;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>Tunnel settings: the relay budget and the window per channel.</summary>
    public sealed record MeshTunnelOptions
    {
        /// <summary>Default relay budget: bytes a hub may hold in flight for others (all tunnels it relays).</summary>
        public const long DefaultRelayBytes = 16L * 1024 * 1024;

        /// <summary>Receive window per tunnel channel (flow control: the most a sender may have unacknowledged).</summary>
        public long WindowBytes { get; init; } = 1024 * 1024;

        /// <summary>What a channel's outgoing pipe holds before a writer waits (System.IO.Pipelines' pause threshold), per direction.</summary>
        public int SpliceBufferBytes { get; init; } = 64 * 1024;

        /// <summary>What relaying may hold at once: each relayed tunnel costs two windows and two copy buffers.</summary>
        public long RelayBytes { get; init; } = DefaultRelayBytes;

        /// <summary>Hop limit: relays a tunnel may cross (the router's, default 3).</summary>
        public int HopLimit { get; init; } = Core.Routing.RoutingLimits.DefaultHopLimit;

        /// <summary>How long a device counts as reachable after its last knowledge record.</summary>
        public TimeSpan ReachableFor { get; init; } = TimeSpan.FromMinutes(3);

        public long BytesPerRelayedTunnel => (2 * WindowBytes) + (2L * SpliceBufferBytes);

        /// <summary>Tunnels relayed at once: as many as fit the relay buffer whole (none when it is smaller than one: refused, counted).</summary>
        public int MaxRelayedTunnels => (int)Math.Min(int.MaxValue, RelayBytes / BytesPerRelayedTunnel);
    }

    /// <summary>Hubs this hub can sync with through relays, and how to reach one.</summary>
    public interface IFarPeers
    {
        /// <summary>
        /// Trusted devices heard through the mesh that no direct link reaches and a tunnel may reach, nearest first:
        /// not those whose next hop is a BLE link (no TLS link to carry a tunnel), nor those whose last tunnels were
        /// refused, until their back-off ends (each skip counted by reason).
        /// </summary>
        IReadOnlyList<MeshRoute> Reachable();

        /// <summary>Opens a byte stream to <paramref name="device"/> through the relays (end-to-end TLS runs inside it).</summary>
        Task<Stream> OpenAsync(DeviceId device, CancellationToken ct);
    }

    /// <summary>
    /// Multi-hop sync between hubs: a tunnel is a chain of multiplexed channels over the mesh links,
    /// A → B → C, that each relay splices (copies both ways) without reading: the sync session inside is
    /// TLS 1.3 between the two ends, authenticated by their own trust circles (so B can neither read nor
    /// alter shards, manifests or inventories, and A and C must trust each other, e.g. after B introduced
    /// them). The channel name is <c>tunnel/TARGET-DEVICE-ID/HOPS-LEFT</c>; a relay forwards it to the
    /// neighbour its knowledge says leads to the target, with one hop fewer, and refuses when no hops are
    /// left, the target is unknown or would go back where it came from, or its relay budget is spent.
    /// Relayed bytes sit only in the channels' flow-control windows, so the bytes a relay holds in flight are bounded by
    /// <see cref="MeshTunnelOptions.RelayBytes"/> whatever the size of what crosses it (its RSS rises by more: the
    /// multiplexer's per-frame garbage, Mesh/README "Measured"); nothing is stored
    /// and nothing counts against its plan.
    /// </summary>
    public sealed class MeshTunnels : IFarPeers
    {
        public const string Prefix = "tunnel/";

        /// <summary>Far-peer skip reasons: the next hop is a BLE link; the last tunnel there failed and the back-off runs.</summary>
        public const string BleOnly = "ble_only";
        public const string BackingOff = "backing_off";

        /// <summary>First wait after a tunnel that could not be opened; doubles per failure up to <see cref="MaxBackoff"/>.</summary>
        public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

        private readonly MeshConnections _connections;
        private readonly MeshReachability _reach;
        private readonly SyncNode _node;
        private readonly Func<DeviceId, bool> _trusted;
        private readonly ILogger<MeshTunnels> _log;
        private readonly TimeProvider _clock;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<DeviceId, (DateTimeOffset Until, TimeSpan Wait)> _backoff = new();
        private readonly LabelledCounts _skipped = new();
        private int _relaying;
        private long _relayedTotal;
        private long _relayedBytes;
        private long _refused;
        private long _opened;
        private long _served;

        public MeshTunnels(MeshConnections connections, MeshReachability reach, SyncNode node, Func<DeviceId, bool> trusted, MeshTunnelOptions options, TimeProvider clock, ILogger<MeshTunnels> log)
        {
            _clock = clock;
            _connections = connections;
            _reach = reach;
            _node = node;
            _trusted = trusted;
            Options = options;
            _log = log;
        }

        public MeshTunnelOptions Options { get; }

        /// <summary>Tunnels this hub relays now (each holds at most <see cref="MeshTunnelOptions.BytesPerRelayedTunnel"/>).</summary>
        public int Relaying => Volatile.Read(ref _relaying);

        /// <summary>Relay budget in use now, bytes (the windows and buffers of the tunnels relayed).</summary>
        public long RelayBytesInUse => Relaying * Options.BytesPerRelayedTunnel;

        public long RelayedTotal => Interlocked.Read(ref _relayedTotal);

        /// <summary>Bytes copied through this hub for others (both directions).</summary>
        public long RelayedBytes => Interlocked.Read(ref _relayedBytes);

        /// <summary>Tunnel requests refused (no route, no hops left, budget spent, untrusted target).</summary>
        public long Refused => Interlocked.Read(ref _refused);

        /// <summary>Tunnels this hub opened as one end / served as the other.</summary>
        public long Opened => Interlocked.Read(ref _opened);

        public long Served => Interlocked.Read(ref _served);

        /// <summary>Far peers left out of a round, by reason (ble_only, backing_off), since start.</summary>
        public IReadOnlyList<KeyValuePair<string, long>> Skipped() => _skipped.Snapshot();

        public long SkippedFor(string reason) => _skipped[reason];

        public IReadOnlyList<MeshRoute> Reachable()
        {
            var result = new List<MeshRoute>();
            var now = _clock.GetUtcNow();
            foreach (var r in _reach.Snapshot(Options.ReachableFor))
            {
                if (r.Device == _connections.Self || _connections.Has(r.Device) || !_trusted(r.Device) || r.Hops > Options.HopLimit + 1)
                {
                    continue;
                }

                // A device behind a BLE link (a phone, a hub behind beacons) gets its shards pushed over the router.
                string? skip = _connections.FindByNode(r.Via) == null ? BleOnly
                    : _backoff.TryGetValue(r.Device, out var b) && now < b.Until ? BackingOff : null;
                if (skip != null)
                {
                    _skipped.Add(skip);
                    continue;
                }

                result.Add(r);
            }

            return result;
        }

        public async Task<Stream> OpenAsync(DeviceId device, CancellationToken ct)
        {
            var route = _reach.Find(device, Options.ReachableFor) ?? throw new IOException("no mesh route to " + device.Short);
            var via = _connections.FindByNode(route.Via) ?? throw new IOException("the neighbour towards " + device.Short + " is not connected");
            MultiplexingStream.Channel channel;
            try
            {
                channel = await via.Mux.OfferChannelAsync(Prefix + device.Text + "/" + Options.HopLimit, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not OperationCanceledException)
            {
                // Refused on the way (no route on from a relay: a device only BLE reaches there): not every round.
                var wait = _backoff.TryGetValue(device, out var last) ? TimeSpan.FromTicks(Math.Min(last.Wait.Ticks * 2, MaxBackoff.Ticks)) : FirstBackoff;
                _backoff[device] = (_clock.GetUtcNow() + wait, wait);
                throw;
            }

            _backoff.TryRemove(device, out _);
            Interlocked.Increment(ref _opened);
            return channel.AsStream();
        }

        /// <summary>A neighbour offered a channel on <paramref name="from"/>: serve it here, relay it on, or refuse it.</summary>
        public void OnOffered(MeshConnection from, MultiplexingStream.ChannelOfferEventArgs offer, CancellationToken stopping)
        {
            if (!TryParse(offer.Name, out var target, out int hopsLeft))
            {
                Refuse(from, offer, "malformed tunnel name");
                return;
            }

            if (target == _connections.Self)
            {
                var channel = from.Mux.AcceptChannel(offer.QualifiedId.Id);
                Interlocked.Increment(ref _served);
                _ = Task.Run(() => _node.ServeStreamAsync(channel.AsStream(), new DnsEndPoint("tunnel-via-" + from.Peer.Short, 0), stopping), CancellationToken.None);
                return;
            }

            _ = Task.Run(() => RelayAsync(from, offer, target, hopsLeft, stopping), CancellationToken.None);
        }

        private async Task RelayAsync(MeshConnection from, MultiplexingStream.ChannelOfferEventArgs offer, DeviceId target, int hopsLeft, CancellationToken stopping)
        {
            if (hopsLeft <= 0)
            {
                Refuse(from, offer, "no hops left");
                return;
            }

            if (!_trusted(target))
            {
                Refuse(from, offer, "target not in the trust circle");
                return;
            }

            var next = _connections.Find(target);
            if (next == null)
            {
                var route = _reach.Find(target, Options.ReachableFor);
                next = route == null ? null : _connections.FindByNode(route.Via);
            }

            if (next == null || next.Peer == from.Peer)
            {
                Refuse(from, offer, "no route");
                return;
            }

            if (Interlocked.Increment(ref _relaying) > Options.MaxRelayedTunnels)
            {
                Interlocked.Decrement(ref _relaying);
                Refuse(from, offer, "relay budget spent");
                return;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping, from.Closed, next.Closed);
                timeout.CancelAfter(SyncNode.HandshakeTimeout);
                MultiplexingStream.Channel onward;
                try
                {
                    onward = await next.Mux.OfferChannelAsync(Prefix + target.Text + "/" + (hopsLeft - 1), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or MultiplexingProtocolException or ObjectDisposedException)
                {
                    Refuse(from, offer, "onward offer failed: " + e.Message);
                    return;
                }

                var back = from.Mux.AcceptChannel(offer.QualifiedId.Id);
                Interlocked.Increment(ref _relayedTotal);
                using var both = CancellationTokenSource.CreateLinkedTokenSource(stopping, from.Closed, next.Closed);

                // Each direction ends by completing the other side's writing (a half close), so the TLS
                // close of one end reaches the other; a direction that never ends is cut when the links go.
                var ab = SpliceAsync(back.Input, onward.Output, both.Token);
                var ba = SpliceAsync(onward.Input, back.Output, both.Token);
                try
                {
                    await Task.WhenAll(ab, ba).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
                {
                }
                finally
                {
                    back.Dispose();
                    onward.Dispose();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _relaying);
            }
        }

        private Task SpliceAsync(System.IO.Pipelines.PipeReader from, System.IO.Pipelines.PipeWriter to, CancellationToken ct) =>
            Splice(from, to, Math.Max(1, Options.SpliceBufferBytes / 4), n => Interlocked.Add(ref _relayedBytes, n), ct);

        /// <summary>
        /// Copies <paramref name="from"/> to <paramref name="to"/> in chunks of <paramref name="chunkBytes"/> (a quarter of
        /// the onward pipe's threshold), reporting each read's bytes to <paramref name="relayed"/>; completing both ends
        /// when the input ends (a half close passed on) or the output's reader stops.
        /// </summary>
        internal static async Task Splice(System.IO.Pipelines.PipeReader from, System.IO.Pipelines.PipeWriter to, int chunkBytes, Action<long> relayed, CancellationToken ct)
        {
            try
            {
                while (true)
                {
                    var read = await from.ReadAsync(ct).ConfigureAwait(false);
                    var buffer = read.Buffer;
                    long length = buffer.Length;

                    // Copied in chunks, each flushed: the onward pipe then reuses a few small pooled segments and the
                    // writer waits at its threshold. One write of a whole read (up to a window) made the pipe rent
                    // segment after segment past what the shared array pool keeps; the arrays it dropped were half of
                    // a relay's garbage and its peak RSS (README "Measured").
                    while (!buffer.IsEmpty)
                    {
                        int n = (int)Math.Min(buffer.Length, chunkBytes);
                        var memory = to.GetMemory(n);
                        n = Math.Min(n, memory.Length);
                        System.Buffers.BuffersExtensions.CopyTo(buffer.Slice(0, n), memory.Span);
                        to.Advance(n);
                        buffer = buffer.Slice(n);
                        if ((await to.FlushAsync(ct).ConfigureAwait(false)).IsCompleted)
                        {
                            return; // the far side stopped reading
                        }
                    }

                    // Consumed once per read, not per chunk: each consumption sends the window's credit back as a frame.
                    relayed(length);
                    from.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted || read.IsCanceled)
                    {
                        return;
                    }
                }
            }
            finally
            {
                await to.CompleteAsync().ConfigureAwait(false);
                await from.CompleteAsync().ConfigureAwait(false);
            }
        }

        private void Refuse(MeshConnection from, MultiplexingStream.ChannelOfferEventArgs offer, string why)
        {
            Interlocked.Increment(ref _refused);
            _log.LogInformation("refused tunnel {Name} from {Peer}: {Reason}", offer.Name, from.Peer.Short, why);
            try
            {
                from.Mux.RejectChannel(offer.QualifiedId.Id);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
            }
        }

        /// <summary>Parses <c>tunnel/ID/HOPS</c>.</summary>
        public static bool TryParse(string name, out DeviceId target, out int hopsLeft)
        {
            target = default;
            hopsLeft = 0;
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return false;
            }

            string[] parts = name.Substring(Prefix.Length).Split('/');
            return parts.Length == 2
                && parts[0].Length == DeviceId.TextLength
                && DeviceId.TryParse(parts[0], out target, out _)
                && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out hopsLeft)
                && hopsLeft is >= 0 and <= Core.Routing.RoutingLimits.MaxHopLimit;
        }
    }
}
