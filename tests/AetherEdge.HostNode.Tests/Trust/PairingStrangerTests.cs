using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Tests.Trust
{
    /// <summary>
    /// Strangers at the showing side's port (real TCP + TLS on loopback): connections that never prove
    /// anything cost no attempt, idle ones neither delay a real join nor stay open past the handshake
    /// bound, and parallel wrong proofs are judged at most three times.
    /// </summary>
    public sealed class PairingStrangerTests : IDisposable
    {
        private const int Code = 246_810;
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-strg-" + Guid.NewGuid().ToString("N"));
        private readonly NodeIdentity _shower;
        private readonly NodeIdentity _joiner;
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(120));

        public PairingStrangerTests()
        {
            _shower = NodeIdentity.LoadOrCreate(Path.Combine(_root, "a"));
            _joiner = NodeIdentity.LoadOrCreate(Path.Combine(_root, "b"));
            _listener.Start();
        }

        private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose()
        {
            _listener.Stop();
            _cts.Dispose();
            _shower.Dispose();
            _joiner.Dispose();
            Directory.Delete(_root, true);
        }

        [Fact]
        public async Task BareTcpGarbageAndDroppedTls_SpendNoAttempt_RightCodeStillPairs()
        {
            // The seed's session counted any connection that ended without pairing: three of these killed the code.
            // Each stranger comes from its own address: seven from one address would race the per-address
            // share (a connection still being closed counts), turning later ones away instead of serving them.
            var show = Show(PairingLimits.Default);
            for (int i = 0; i < 4; i++)
            {
                using var bare = await ConnectAsync(Stranger(i));
            }

            for (int i = 0; i < 2; i++)
            {
                using var garbage = await ConnectAsync(Stranger(4 + i));
                await garbage.SendAsync(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2f, 0x0d, 0x0a, 0x0d, 0x0a });
            }

            using (var tlsOnly = await ConnectAsync(Stranger(6)))
            {
                await using var ssl = new SslStream(new NetworkStream(tlsOnly, false), false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "x",
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ClientCertificates = new System.Security.Cryptography.X509Certificates.X509CertificateCollection { _joiner.Certificate },
                    ApplicationProtocols = new List<SslApplicationProtocol> { new(PairingExchange.ApplicationProtocol) },
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                });
            }

            var joined = await JoinFromAsync(IPAddress.Loopback, Code);
            var result = await show;
            Assert.Equal(PairingVerdict.Right, joined.Verdict);
            Assert.Equal(_joiner.DeviceId, result.Peer!.Id);
            Assert.Equal(0, result.FailedAttempts);
            Assert.Equal(7, result.Unfinished);
            Assert.Equal(0, result.TurnedAway);
        }

        [Fact]
        public async Task IdleConnection_DoesNotDelayARealJoin_ItIsServedAlongside()
        {
            // Handshake bound far beyond the test: the join can only finish first if it is served concurrently.
            var show = Show(PairingLimits.Default with { HandshakeTimeout = TimeSpan.FromMinutes(10) });
            // A first try (wrong, so the code stays open) is answered while the stranger still holds its
            // connection; the seed's one-at-a-time loop made every device wait out the idle one (19 s).
            using var idle = await ConnectAsync(IPAddress.Loopback);
            var first = await JoinFromAsync(IPAddress.Loopback, (Code + 1) % 1_000_000);
            Assert.Equal(PairingVerdict.Wrong, first.Verdict);
            Assert.True(IsOpen(idle), "the idle stranger was still connected when the first try was answered");
            Assert.Equal(PairingVerdict.Right, (await JoinFromAsync(IPAddress.Loopback, Code)).Verdict);
            var result = await show;
            Assert.NotNull(result.Peer);
            Assert.Equal(1, result.FailedAttempts);
        }

        [Fact]
        public async Task IdleConnection_IsClosedAfterTheHandshakeBound()
        {
            var show = Show(PairingLimits.Default with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
            using var idle = await ConnectAsync(IPAddress.Loopback);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            int read = await idle.ReceiveAsync(new byte[1], SocketFlags.None, wait.Token);
            Assert.Equal(0, read);
            Assert.Equal(PairingVerdict.Right, (await JoinFromAsync(IPAddress.Loopback, Code)).Verdict);
            Assert.Equal(1, (await show).Unfinished);
        }

        [Fact]
        public async Task OneAddressFillingItsShare_IsTurnedAway_AnotherAddressStillPairs()
        {
            var show = Show(PairingLimits.Default with { HandshakeTimeout = TimeSpan.FromMinutes(10), MaxConnectionsPerAddress = 2 });
            var idle = new List<Socket>();
            for (int i = 0; i < 3; i++)
            {
                idle.Add(await ConnectAsync(IPAddress.Loopback));
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(0, await idle[2].ReceiveAsync(new byte[1], SocketFlags.None, wait.Token));
            Assert.True(IsOpen(idle[0]) && IsOpen(idle[1]));
            var joined = await JoinFromAsync(IPAddress.Parse("127.0.0.2"), Code);
            Assert.Equal(PairingVerdict.Right, joined.Verdict);
            var result = await show;
            Assert.Equal(1, result.TurnedAway);
            idle.ForEach(s => s.Dispose());
        }

        [Fact]
        public async Task SixParallelWrongProofs_OnlyThreeAreJudged_ThenTheCodeIsDead()
        {
            // Bounds far beyond the test (six J-PAKE exchanges on a loaded machine): only judging is under test.
            var show = Show(PairingLimits.Default with { HandshakeTimeout = TimeSpan.FromMinutes(2), ExchangeTimeout = TimeSpan.FromMinutes(2) });
            var tries = Enumerable.Range(0, 6).Select(i => JoinFromAsync(IPAddress.Parse("127.0.0." + (2 + i)), (Code + 1 + i) % 1_000_000)).ToArray();
            var verdicts = (await Task.WhenAll(tries)).Select(o => o.Verdict).ToList();
            var result = await show;
            Assert.Null(result.Peer);
            Assert.Equal(3, result.FailedAttempts);
            Assert.Equal(3, verdicts.Count(v => v == PairingVerdict.Wrong));
            Assert.Equal(3, verdicts.Count(v => v == PairingVerdict.Closed));
        }

        private Task<PairingSession.ShowResult> Show(PairingLimits limits) =>
            PairingSession.ShowAsync(_listener, _shower, "hub", new TrustCircle(Path.Combine(_root, "a")), Code, TimeSpan.FromSeconds(90), _cts.Token, limits: limits);

        private async Task<PairingExchange.Outcome> JoinFromAsync(IPAddress from, int code)
        {
            using var socket = await ConnectAsync(from);
            try
            {
                return await PairingSession.JoinOnAsync(socket, _joiner, "phone", new TrustCircle(Path.Combine(_root, "b")), code, _cts.Token);
            }
            catch (Exception e) when (e is IOException or AuthenticationException)
            {
                // The showing side hung up (the code died while this try was still computing).
                return new PairingExchange.Outcome(PairingVerdict.Closed, null);
            }
        }

        private static IPAddress Stranger(int i) => IPAddress.Parse("127.0.1." + (10 + i));

        private async Task<Socket> ConnectAsync(IPAddress from)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), _cts.Token);
            return socket;
        }

        // Readable with nothing to read means the peer closed; not readable means it is still open.
        private static bool IsOpen(Socket s) => !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0);
    }
}
