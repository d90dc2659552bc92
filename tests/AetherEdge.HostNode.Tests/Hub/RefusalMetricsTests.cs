using System.Net;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Tests.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>What the hub refuses is on its /metrics: discovery suggestions, dials, replay-window frames, items.</summary>
    public sealed class RefusalMetricsTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aether-refusals-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        [Fact]
        public void Render_HubWithMdns_EveryRefusalCounterExportedByReason()
        {
            using var hub = HubHost.Build(new HubSettings { Home = Path.Combine(_root, "a"), Name = "refusals" }, TextWriter.Null);
            _ = hub.Services.GetServices<IHostedService>().ToList();
            var gate = hub.Services.GetRequiredService<DiscoveryGate>();
            gate.CheckDevice(null, out _);
            gate.CheckAddress(IPAddress.Parse("192.0.2.1"), 43216, null);

            string text = hub.Services.GetRequiredService<MetricsEndpoint>().Render();

            Assert.Contains("aether_discovery_suggestions_refused_total{reason=\"no_fingerprint\"} 1\n", text);
            Assert.Contains("aether_discovery_suggestions_refused_total{reason=\"off_link\"} 1\n", text);
            Assert.Contains("aether_discovery_suggestions_refused_total{reason=\"untrusted\"} 0\n", text);
            foreach (string result in new[] { "ok", "busy", "refused", "unreachable", "timeout", "failed" })
            {
                Assert.Contains("aether_sync_dials_total{result=\"" + result + "\"} 0\n", text);
            }

            Assert.Contains("aether_sync_frames_refused_total{reason=\"clock_skew\"} 0\n", text);
            Assert.Contains("aether_sync_frames_refused_total{reason=\"replay\"} 0\n", text);
            Assert.Contains("aether_sync_items_refused_total{reason=\"no_space\"} 0\n", text);
        }

        [Fact]
        public async Task SyncWithAsync_PeerClockTenMinutesAhead_SkewRefusalCounted()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

            // b speaks the protocol with a clock ten minutes fast: a's replay window refuses its first frame.
            SyncOutcome? seen = null;
            a.Node.SessionEnded += o => seen = o;
            using (var tcp = new System.Net.Sockets.TcpClient())
            {
                await tcp.ConnectAsync(a.EndPoint, cts.Token);
                await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false);
                await ssl.AuthenticateAsClientAsync(b.Policy.ClientOptions(a.Identity.DeviceId), cts.Token);
                var session = new AetherEdge.Core.Sync.SyncSession(b.Store, new PullAllHosts(b.Store).Create(a.Identity.DeviceId), CryptoRandom.Instance,
                    new AetherEdge.Core.Sync.ReplayWindow(), new AetherEdge.Core.Sync.HelloFrame(1, 3, 1_000_000_000, 0, 100, 0, "b"), 64 * 1024);
                session.Start();
                var buffer = new byte[AetherEdge.Core.Sync.SyncLimits.MaxFrameBytes];
                long fast = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
                while (session.TryWriteNext(buffer, 0, buffer.Length, fast, out int n))
                {
                    await ssl.WriteAsync(buffer.AsMemory(0, n), cts.Token);
                }

                await ssl.FlushAsync(cts.Token);
                try
                {
                    while (await ssl.ReadAsync(buffer, cts.Token) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                }
            }

            Assert.True(await WaitUntil(() => a.Node.Metrics.FramesRefused(SyncMetrics.ClockSkew) >= 1), "no skew refusal counted");
            Assert.Equal(0, a.Node.Metrics.FramesRefused(SyncMetrics.Replay));
            Assert.True(await WaitUntil(() => seen != null));
            Assert.True(AetherEdge.Core.Sync.ReplayWindow.IsSkew(seen!.Failure ?? string.Empty), seen.Failure);
        }

        private static async Task<bool> WaitUntil(Func<bool> condition)
        {
            for (int i = 0; i < 300 && !condition(); i++)
            {
                await Task.Delay(100);
            }

            return condition();
        }
    }
}
