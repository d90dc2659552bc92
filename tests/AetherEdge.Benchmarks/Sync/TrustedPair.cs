using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.Benchmarks.Sync
{
    /// <summary>Two homes that trust each other (A serves on loopback, B pulls), for the sync benchmarks.</summary>
    public sealed class TrustedPair : IDisposable
    {
        private TcpListener? _listener;
        private CancellationTokenSource? _stop;
        private Task? _serving;

        public TrustedPair(string prefix)
        {
            Root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
            HomeA = Directory.CreateDirectory(Path.Combine(Root, "a")).FullName;
            HomeB = Directory.CreateDirectory(Path.Combine(Root, "b")).FullName;
            IdA = NodeIdentity.LoadOrCreate(HomeA);
            IdB = NodeIdentity.LoadOrCreate(HomeB);
            var circleA = new TrustCircle(HomeA);
            var circleB = new TrustCircle(HomeB);
            circleA.Add(IdB.DeviceId, "b", DateTimeOffset.UtcNow);
            circleB.Add(IdA.DeviceId, "a", DateTimeOffset.UtcNow);
            PolicyA = TlsPeerPolicy.ForCircle(IdA, circleA);
            PolicyB = TlsPeerPolicy.ForCircle(IdB, circleB);
        }

        public string Root { get; }

        public string HomeA { get; }

        public string HomeB { get; }

        public NodeIdentity IdA { get; }

        public NodeIdentity IdB { get; }

        public TlsPeerPolicy PolicyA { get; }

        public TlsPeerPolicy PolicyB { get; }

        /// <summary>The Hello both benchmark nodes send: an always-on node with room for anything.</summary>
        public static HelloFrame Hello() => new(SyncLimits.Version, 3, long.MaxValue / 2, 0, 100, HelloFrame.FlagAlwaysOn, "bench");

        /// <summary>Starts serving <paramref name="nodeA"/> on a loopback port.</summary>
        public void Serve(SyncNode nodeA)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _stop = new CancellationTokenSource();
            _serving = nodeA.ServeAsync(_listener, _stop.Token);
        }

        /// <summary>One session of <paramref name="nodeB"/> with A; throws unless all <paramref name="items"/> arrived.</summary>
        public long Pull(SyncNode nodeB, int items)
        {
            var outcome = nodeB.SyncWithAsync((IPEndPoint)_listener!.LocalEndpoint, IdA.DeviceId, CancellationToken.None).GetAwaiter().GetResult();
            if (outcome.State != SyncSessionState.Complete || outcome.ItemsReceived != items)
            {
                throw new InvalidOperationException("sync incomplete: " + outcome);
            }

            return outcome.BytesReceived;
        }

        /// <summary>Stops A's listener and waits for its sessions; call before disposing the stores they use.</summary>
        public void StopServing()
        {
            _stop?.Cancel();
            _listener?.Stop();
            _serving?.Wait(TimeSpan.FromSeconds(30));
            _serving = null;
        }

        public void Dispose()
        {
            StopServing();
            IdA.Dispose();
            IdB.Dispose();
            Directory.Delete(Root, true);
        }
    }
}
