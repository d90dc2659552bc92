using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Tests.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>Dials run concurrently with short bounds: a tarpit (accepts TCP, never answers) delays nobody else.</summary>
    public sealed class PeerDialerTests : IDisposable
    {
        private readonly List<Socket> _held = new();
        private readonly List<TcpListener> _tarpits = new();

        public void Dispose()
        {
            foreach (var s in _held)
            {
                s.Dispose();
            }

            foreach (var t in _tarpits)
            {
                t.Stop();
            }
        }

        /// <summary>Accepts connections and holds them without a byte.</summary>
        private IPEndPoint Tarpit()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            _tarpits.Add(l);
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var s = await l.AcceptSocketAsync();
                        lock (_held)
                        {
                            _held.Add(s);
                        }
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
            });
            return (IPEndPoint)l.LocalEndpoint;
        }

        private static PeerDialer Dialer(TestNode node, PeerDirectory directory, ILogger<PeerDialer>? log = null, TimeProvider? clock = null) =>
            new(new HubSettings { SyncIntervalSeconds = 0 }, node.Node, directory,
                new PeerKnowledge(node.Circle.Contains, TimeSpan.FromMinutes(3)), clock ?? TimeProvider.System, log ?? NullLogger<PeerDialer>.Instance);

        /// <summary>Bound but not listening: connecting is refused, and no other test can take the port meanwhile.</summary>
        private IPEndPoint Closed()
        {
            var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _held.Add(closed);
            return (IPEndPoint)closed.LocalEndPoint!;
        }

        [Fact]
        public async Task RoundAsync_FreshSuggestionsReplacingFailedOnes_OneUnprovenDialPerDeviceAndBackoff()
        {
            using var b = new TestNode("b");
            var info = new byte[91];
            new Random(5).NextBytes(info);
            var claimed = DeviceId.FromPublicKeyInfo(info);
            b.Circle.Add(claimed, "claimed", DateTimeOffset.UtcNow);
            var directory = new PeerDirectory();
            var clock = new ManualClock();
            var dialer = Dialer(b, directory, clock: clock);
            long Failed() => dialer.Dials(PeerDialer.Unreachable);

            for (int i = 0; i < PeerDirectory.MaxPerDevice; i++)
            {
                directory.Suggest(Closed(), claimed, "mdns");
            }

            await dialer.RoundAsync(CancellationToken.None);
            Assert.Equal(1, Failed());

            // The failed address makes room for a fresh one, but the device's unproven addresses now back off.
            Assert.Equal(SuggestResult.Replaced, directory.Suggest(Closed(), claimed, "mdns"));
            await dialer.RoundAsync(CancellationToken.None);
            Assert.Equal(1, Failed());

            clock.Advance(TimeSpan.FromSeconds(1));
            await dialer.RoundAsync(CancellationToken.None);
            Assert.Equal(2, Failed());

            // Doubled: one more second is not enough, two are.
            clock.Advance(TimeSpan.FromSeconds(1));
            await dialer.RoundAsync(CancellationToken.None);
            Assert.Equal(2, Failed());
            clock.Advance(TimeSpan.FromSeconds(1));
            await dialer.RoundAsync(CancellationToken.None);
            Assert.Equal(3, Failed());
        }

        [Fact]
        public async Task RoundAsync_TarpitClaimingAnotherTrustedDevice_RealPeerSyncsWhileTheTarpitIsStillHeld()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            using var c = new TestNode("c");
            a.Trust(b);
            b.Trust(a);
            b.Trust(c);
            a.Listen();
            a.Store.PutShard("f.0", new byte[1000]);
            var directory = new PeerDirectory();
            directory.Suggest(Tarpit(), c.Identity.DeviceId, "mdns");
            directory.Suggest(a.EndPoint, a.Identity.DeviceId, "mdns");
            var dialer = Dialer(b, directory);

            // When the real session ends, the dial to the tarpit has not given up yet.
            long timeoutsWhenSynced = -1;
            b.Node.SessionEnded += _ => timeoutsWhenSynced = dialer.Dials(PeerDialer.Timeout);
            Assert.True(await dialer.RoundAsync(CancellationToken.None));

            Assert.True(b.Store.HasShard("f.0"));
            Assert.Equal(0, timeoutsWhenSynced);
            Assert.Equal(1, dialer.Dials(PeerDialer.Ok));
            Assert.Equal(1, dialer.Dials(PeerDialer.Timeout));
            Assert.True(directory.Snapshot().Single(p => p.EndPoint.Equals(a.EndPoint)).Proven);
        }

        [Fact]
        public async Task RoundAsync_TarpitsClaimingAProvenPeer_ProvenAddressDialledFirstAndTheyBackOff()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            a.Listen();
            var directory = new PeerDirectory();
            directory.Suggest(a.EndPoint, a.Identity.DeviceId, "mdns");
            directory.Proved(a.EndPoint, a.Identity.DeviceId);
            for (int i = 0; i < 10; i++)
            {
                directory.Suggest(Tarpit(), a.Identity.DeviceId, "mdns");
            }

            var dialer = Dialer(b, directory);
            Assert.True(await dialer.RoundAsync(CancellationToken.None));
            Assert.True(await dialer.RoundAsync(CancellationToken.None));
            Assert.Equal(2, dialer.Dials(PeerDialer.Ok));
            Assert.Equal(0, dialer.Dials(PeerDialer.Timeout));
            Assert.Equal(PeerDirectory.MaxPerDevice, directory.Count);
        }

        [Fact]
        public async Task RoundAsync_AddressAnswersAsAnotherDevice_RefusedCountedAndLoggedWithTheReason()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            using var c = new TestNode("c");
            a.Trust(b);
            b.Trust(a);
            b.Trust(c);
            a.Listen();
            var directory = new PeerDirectory();
            directory.Suggest(a.EndPoint, c.Identity.DeviceId, "mdns");
            var log = new ListLogger();
            var dialer = Dialer(b, directory, log);
            Assert.True(await dialer.RoundAsync(CancellationToken.None));
            Assert.Equal(1, dialer.Dials(PeerDialer.Refused));
            var line = Assert.Single(log.Lines);
            Assert.Contains("TLS handshake refused", line);
            Assert.Contains(c.Identity.DeviceId.Short, line);
            Assert.DoesNotContain("operation was canceled", line, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task RoundAsync_ClosedPortsEveryRound_LogLinesBoundedAndBackedOff()
        {
            using var b = new TestNode("b");
            var directory = new PeerDirectory();
            var log = new ListLogger();
            for (int i = 0; i < 20; i++)
            {
                var info = new byte[91];
                new Random(i).NextBytes(info);
                var d = DeviceId.FromPublicKeyInfo(info);
                b.Circle.Add(d, "gone" + i, DateTimeOffset.UtcNow);
                directory.Suggest(Closed(), d, "mdns");
            }

            var dialer = Dialer(b, directory, log);
            await dialer.RoundAsync(CancellationToken.None);
            Assert.Equal(20, dialer.Dials(PeerDialer.Unreachable));
            Assert.Equal(PeerDialer.LogLinesPerMinute, log.Lines.Count);
            Assert.All(log.Lines, l => Assert.Contains("refused", l, StringComparison.OrdinalIgnoreCase));
        }

        private sealed class ManualClock : TimeProvider
        {
            private long _ticks = 1_000_000;

            public override long TimestampFrequency => TimeSpan.TicksPerSecond;

            public override long GetTimestamp() => Interlocked.Read(ref _ticks);

            public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
        }

        private sealed class ListLogger : ILogger<PeerDialer>
        {
            public List<string> Lines { get; } = new();

            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (Lines)
                {
                    Lines.Add(formatter(state, exception));
                }
            }
        }
    }
}
