using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>Real TLS 1.3 over loopback between nodes with their own homes.</summary>
    public sealed class SyncNodeTlsTests
    {
        private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

        private static byte[] Bytes(int n, int seed)
        {
            var b = new byte[n];
            new Random(seed).NextBytes(b);
            return b;
        }

        [Fact]
        public async Task SyncWithAsync_MutuallyTrusted_PullsBothWaysVerified()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            a.Store.PutShard("f1.0", Bytes(300_000, 1));
            a.Store.StoreManifest("m-f1", Bytes(500, 2));
            b.Store.PutShard("f2.0", Bytes(1000, 3));
            using var cts = new CancellationTokenSource(s_bound);
            var outcome = await b.Node.SyncWithAsync(a.EndPoint, a.Identity.DeviceId, cts.Token);
            Assert.Equal(SyncSessionState.Complete, outcome.State);
            Assert.Equal(a.Identity.DeviceId, outcome.Peer);
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Store.ShardDir, "f1.0")), File.ReadAllBytes(Path.Combine(b.Store.ShardDir, "f1.0")));
            Assert.True(b.Store.HasManifest("m-f1"));
            Assert.Equal(300_500, outcome.BytesReceived);
            await WaitUntil(() => a.Store.HasShard("f2.0"));
            Assert.Equal(1, b.Node.Metrics.Successes);
        }

        [Fact]
        public async Task SyncWithAsync_ClientNotInServersCircle_RefusedAndGetsNothing()
        {
            using var a = new TestNode("a");
            using var rogue = new TestNode("rogue");
            rogue.Trust(a);
            a.Listen();
            a.Store.PutShard("secret.0", Bytes(5000, 1));
            string? refusal = null;
            a.Node.HandshakeRefused += (_, why) => refusal = why;
            using var cts = new CancellationTokenSource(s_bound);
            // TLS 1.3 lets the client finish its side before the server checks the client's
            // certificate, so the rogue sees either a handshake error or a connection that dies unused.
            try
            {
                var outcome = await rogue.Node.SyncWithAsync(a.EndPoint, null, cts.Token);
                Assert.Equal(SyncSessionState.Failed, outcome.State);
                Assert.Equal(0, outcome.BytesReceived);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
            }

            await WaitUntil(() => a.Node.Metrics.Rejected == 1);
            Assert.Equal(0, a.Node.SessionsStarted);
            Assert.Empty(rogue.Store.ListItems());
            Assert.Empty(Directory.GetFiles(rogue.Store.PartialDir));
            Assert.NotNull(refusal);
        }

        [Fact]
        public async Task SyncWithAsync_ServerNotInClientsCircle_ClientRefusesBeforeAnyFrame()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            a.Listen();
            a.Store.PutShard("x.0", Bytes(100, 1));
            using var cts = new CancellationTokenSource(s_bound);
            await Assert.ThrowsAsync<AuthenticationException>(() => b.Node.SyncWithAsync(a.EndPoint, null, cts.Token));
            Assert.Equal(0, b.Node.SessionsStarted);
            Assert.Empty(b.Store.ListItems());
        }

        [Fact]
        public async Task SyncWithAsync_PinnedIdMismatch_Refused()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            using var c = new TestNode("c");
            a.Trust(b);
            b.Trust(a);
            b.Trust(c);
            a.Listen();
            using var cts = new CancellationTokenSource(s_bound);
            await Assert.ThrowsAsync<AuthenticationException>(() => b.Node.SyncWithAsync(a.EndPoint, c.Identity.DeviceId, cts.Token));
        }

        [Fact]
        public async Task SyncWithAsync_DroppedMidTransfer_SecondSessionResumes()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            byte[] data = Bytes(2_000_000, 9);
            a.Store.PutShard("big.0", data);
            using var cts = new CancellationTokenSource(s_bound);
            var first = await b.Node.SyncWithAsync(a.EndPoint, null, cts.Token, s => new DropAfterStream(s, 700_000));
            Assert.NotEqual(SyncSessionState.Complete, first.State);
            long partial = b.Store.PartialLength("big.0");
            Assert.InRange(partial, 64 * 1024, 700_000);
            Assert.False(b.Store.HasShard("big.0"));

            var second = await b.Node.SyncWithAsync(a.EndPoint, null, cts.Token);
            Assert.Equal(SyncSessionState.Complete, second.State);
            Assert.Equal(data.Length - partial, second.BytesReceived);
            Assert.Equal(data, File.ReadAllBytes(Path.Combine(b.Store.ShardDir, "big.0")));
        }

        [Fact]
        public async Task RawClient_ReplayedFrame_ServerSendsErrorAndStops()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            a.Store.PutShard("x.0", Bytes(100, 1));
            var hello = new HelloFrame(1, 3, 0, 0, 100, 0, "b") { TimestampMilliseconds = SyncConnection.NowMilliseconds(), Nonce = 12345 };
            var inventory = new InventoryFrame(Array.Empty<InventoryEntry>(), true) { TimestampMilliseconds = SyncConnection.NowMilliseconds(), Nonce = 12345 };
            var frames = await RawExchange(a, b, hello, inventory);
            var error = Assert.IsType<ErrorFrame>(frames.Last());
            Assert.Contains("replayed", error.Message);
            Assert.DoesNotContain(frames, f => f.Type == SyncFrameType.ShardChunk);
        }

        [Fact]
        public async Task RawClient_StaleTimestamp_ServerSendsErrorAndStops()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            var hello = new HelloFrame(1, 3, 0, 0, 100, 0, "b") { TimestampMilliseconds = SyncConnection.NowMilliseconds() - 600_000, Nonce = 1 };
            var frames = await RawExchange(a, b, hello);
            var error = Assert.IsType<ErrorFrame>(frames.Last());
            Assert.Contains("stale", error.Message);
        }

        /// <summary>Connects as <paramref name="b"/> with real TLS, writes hand-made frames, returns what the server sent until it closed.</summary>
        private static async Task<List<SyncFrame>> RawExchange(TestNode server, TestNode b, params SyncFrame[] send)
        {
            using var cts = new CancellationTokenSource(s_bound);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(server.EndPoint, cts.Token);
            await using var ssl = new SslStream(tcp.GetStream());
            await ssl.AuthenticateAsClientAsync(b.Policy.ClientOptions(), cts.Token);
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            foreach (var f in send)
            {
                SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out int n);
                await ssl.WriteAsync(buffer.AsMemory(0, n), cts.Token);
            }

            var received = new List<SyncFrame>();
            var inbox = new MemoryStream();
            var chunk = new byte[65536];
            while (true)
            {
                int n;
                try
                {
                    n = await ssl.ReadAsync(chunk, cts.Token);
                }
                catch (IOException)
                {
                    break;
                }

                if (n == 0)
                {
                    break;
                }

                inbox.Write(chunk, 0, n);
                byte[] all = inbox.ToArray();
                int used = 0;
                int consumed;
                while ((consumed = SyncFrameCodec.TryRead(all, used, all.Length - used, out var f)) > 0)
                {
                    received.Add(f!);
                    used += consumed;
                }

                inbox = new MemoryStream();
                inbox.Write(all, used, all.Length - used);
            }

            return received;
        }

        private static async Task WaitUntil(Func<bool> condition)
        {
            for (int i = 0; i < 200 && !condition(); i++)
            {
                await Task.Delay(50);
            }

            Assert.True(condition());
        }
    }
}
