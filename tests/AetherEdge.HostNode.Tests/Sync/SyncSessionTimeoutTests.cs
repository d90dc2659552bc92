using System.Net.Security;
using System.Net.Sockets;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>
    /// Issue 12 item 2 over real TLS 1.3 on loopback: a trusted peer that completes the handshake and goes
    /// silent (or stops reading) must not hold the one-session-per-peer lock; a quiet but live peer must not
    /// be cut off.
    /// </summary>
    public sealed class SyncSessionTimeoutTests
    {
        private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

        private static byte[] Bytes(int n, int seed)
        {
            var b = new byte[n];
            new Random(seed).NextBytes(b);
            return b;
        }

        [Fact]
        public async Task SilentTrustedPeerAfterTls_IdleTimeoutFreesLock_RealPeerSyncsAfter()
        {
            using var a = new TestNode("a", SyncSessionOptions.FromIdle(TimeSpan.FromSeconds(1)));
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            a.Store.PutShard("f.0", Bytes(50_000, 1));
            var ended = new List<SyncOutcome>();
            a.Node.SessionEnded += o =>
            {
                lock (ended)
                {
                    ended.Add(o);
                }
            };

            // b's key, real TLS, then nothing at all: no Hello, no reads.
            using var silent = await ConnectTlsAsync(a, b);
            await WaitUntil(() => a.Node.Metrics.Timeouts == 1);
            lock (ended)
            {
                var outcome = Assert.Single(ended);
                Assert.Equal(SyncSessionState.Failed, outcome.State);
                Assert.Contains("idle timeout", outcome.Failure);
            }

            Assert.Equal(0, a.Node.Metrics.Connected);
            Assert.True(await ClosedByPeerAsync(silent.Ssl));

            using var cts = new CancellationTokenSource(s_bound);
            var real = await b.Node.SyncWithAsync(a.EndPoint, a.Identity.DeviceId, cts.Token);
            Assert.Equal(SyncSessionState.Complete, real.State);
            Assert.True(b.Store.HasShard("f.0"));
        }

        [Fact]
        public async Task PeerThatStopsReadingMidTransfer_WriteTimesOut_LockFrees()
        {
            using var a = new TestNode("a", SyncSessionOptions.FromIdle(TimeSpan.FromSeconds(1)));
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            a.Store.PutShard("big.0", Bytes(48 << 20, 2));

            // Ask for a 48 MiB shard, then never read: a's writes fill the socket buffers and block.
            using var reader = await ConnectTlsAsync(a, b);
            long now = SyncConnection.NowMilliseconds();
            await WriteFramesAsync(
                reader.Ssl,
                new HelloFrame(2, 3, 0, 0, 100, 0, "b") { TimestampMilliseconds = now, Nonce = 1 },
                new InventoryFrame(Array.Empty<InventoryEntry>(), true) { TimestampMilliseconds = now, Nonce = 2 },
                new WantFrame(new[] { new WantEntry("big.0", 0) }) { TimestampMilliseconds = now, Nonce = 3 });
            await WaitUntil(() => a.Node.Metrics.Timeouts == 1);
            Assert.Equal(0, a.Node.Metrics.Connected);

            using var cts = new CancellationTokenSource(s_bound);
            var real = await b.Node.SyncWithAsync(a.EndPoint, a.Identity.DeviceId, cts.Token);
            Assert.Equal(SyncSessionState.Complete, real.State);
        }

        [Fact]
        public async Task NewerSessionFromSamePeer_ReplacesStaleOne()
        {
            // A long idle timeout, so only the replacement can free the lock within the test.
            var options = new SyncSessionOptions { IdleTimeout = TimeSpan.FromMinutes(10), KeepAliveInterval = TimeSpan.FromMinutes(2), StaleAfter = TimeSpan.FromMilliseconds(300) };
            using var a = new TestNode("a", options);
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            a.Store.PutShard("f.0", Bytes(10_000, 3));
            using var silent = await ConnectTlsAsync(a, b);
            await WaitUntil(() => a.Node.SessionsStarted == 1);
            await Task.Delay(600);

            using var cts = new CancellationTokenSource(s_bound);
            var real = await b.Node.SyncWithAsync(a.EndPoint, a.Identity.DeviceId, cts.Token);
            Assert.Equal(SyncSessionState.Complete, real.State);
            Assert.True(b.Store.HasShard("f.0"));
            Assert.Equal(1, a.Node.Metrics.Replaced);
            Assert.Equal(0, a.Node.Metrics.Timeouts);
            Assert.True(await ClosedByPeerAsync(silent.Ssl));
        }

        [Fact]
        public async Task LiveSessionFromSamePeer_IsNotReplaced_SecondDialIsBusy()
        {
            var options = new SyncSessionOptions { IdleTimeout = TimeSpan.FromMinutes(10), KeepAliveInterval = TimeSpan.FromMinutes(2), StaleAfter = TimeSpan.FromMinutes(5) };
            using var a = new TestNode("a", options);
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            using var first = await ConnectTlsAsync(a, b);
            await WaitUntil(() => a.Node.SessionsStarted == 1);
            using var cts = new CancellationTokenSource(s_bound);
            var second = await b.Node.SyncWithAsync(a.EndPoint, a.Identity.DeviceId, cts.Token);
            Assert.Equal(SyncSessionState.Failed, second.State);
            Assert.Equal(0, a.Node.Metrics.Replaced);
            Assert.Equal(1, a.Node.Metrics.Connected);
        }

        [Fact]
        public async Task SlowStoreLongerThanIdleTimeout_KeepAlivesKeepSessionAlive()
        {
            // a takes 8 s to hash the wanted shard (a cold disk) while holding its session's lock; both sides
            // time out after 4 s without progress, so only keep-alives (every second) carry the session through.
            var options = SyncSessionOptions.FromIdle(TimeSpan.FromSeconds(4));
            using var a = new TestNode("a", options, protocol: SyncLimits.ProtocolVersion, wrap: s => new SlowHashStore(s, TimeSpan.FromSeconds(8)));
            using var b = new TestNode("b", options, protocol: SyncLimits.ProtocolVersion);
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            a.Store.PutShard("f.0", Bytes(100_000, 4));
            using var cts = new CancellationTokenSource(s_bound);
            var outcome = await b.Node.SyncWithAsync(a.EndPoint, a.Identity.DeviceId, cts.Token);
            Assert.True(outcome.State == SyncSessionState.Complete, outcome.Failure);
            Assert.True(b.Store.HasShard("f.0"));
            Assert.True(a.Node.Metrics.KeepAlivesSent + b.Node.Metrics.KeepAlivesSent > 0);
            Assert.Equal(0, a.Node.Metrics.Timeouts + b.Node.Metrics.Timeouts);
        }

        [Fact]
        public async Task SlowStore_PeerOnProtocol1_GetsNoKeepAlives_AndTimesOut()
        {
            // The same stall with a protocol-1 peer: no KeepAlive is sent to it (it would refuse the frame type),
            // so the stall is cut by the idle timeout instead; nothing breaks the old peer's protocol.
            var options = SyncSessionOptions.FromIdle(TimeSpan.FromSeconds(4));
            using var a = new TestNode("a", options, protocol: SyncLimits.ProtocolVersion, wrap: s => new SlowHashStore(s, TimeSpan.FromSeconds(8)));
            using var b = new TestNode("b", options, protocol: 1);
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            a.Store.PutShard("f.0", Bytes(100_000, 4));
            using var cts = new CancellationTokenSource(s_bound);
            var outcome = await b.Node.SyncWithAsync(a.EndPoint, a.Identity.DeviceId, cts.Token);
            Assert.NotEqual(SyncSessionState.Complete, outcome.State);
            Assert.Equal(0, a.Node.Metrics.KeepAlivesSent);
            Assert.DoesNotContain("violation", outcome.Failure ?? string.Empty);
        }

        private static async Task<TlsClient> ConnectTlsAsync(TestNode server, TestNode as_)
        {
            using var cts = new CancellationTokenSource(s_bound);
            var tcp = new TcpClient();
            await tcp.ConnectAsync(server.EndPoint, cts.Token);
            var ssl = new SslStream(tcp.GetStream());
            await ssl.AuthenticateAsClientAsync(as_.Policy.ClientOptions(), cts.Token);
            return new TlsClient(tcp, ssl);
        }

        private static async Task WriteFramesAsync(SslStream ssl, params SyncFrame[] frames)
        {
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            foreach (var f in frames)
            {
                SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out int n);
                await ssl.WriteAsync(buffer.AsMemory(0, n));
            }

            await ssl.FlushAsync();
        }

        /// <summary>True when the server closed the connection (reads end) within the bound.</summary>
        private static async Task<bool> ClosedByPeerAsync(SslStream ssl)
        {
            using var cts = new CancellationTokenSource(s_bound);
            var chunk = new byte[65536];
            try
            {
                while (await ssl.ReadAsync(chunk, cts.Token) > 0)
                {
                }

                return true;
            }
            catch (IOException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            for (int i = 0; i < 400 && !condition(); i++)
            {
                await Task.Delay(50);
            }

            Assert.True(condition());
        }

        private sealed class TlsClient : IDisposable
        {
            public TlsClient(TcpClient tcp, SslStream ssl)
            {
                Tcp = tcp;
                Ssl = ssl;
            }

            public TcpClient Tcp { get; }

            public SslStream Ssl { get; }

            public void Dispose()
            {
                Ssl.Dispose();
                Tcp.Dispose();
            }
        }
    }
}
