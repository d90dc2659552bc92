using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests.Trust
{
    /// <summary>Pairing for real: TCP + TLS 1.3 over loopback, two homes.</summary>
    public sealed class PairingTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-pair-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, true);
            }
        }

        private string Home(string name) => Path.Combine(_root, name);

        private static TcpListener Loopback()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return l;
        }

        [Fact]
        public async Task ShowAndJoin_SameCode_BothTrustEachOther()
        {
            using var a = NodeIdentity.LoadOrCreate(Home("a"));
            using var b = NodeIdentity.LoadOrCreate(Home("b"));
            var circleA = new TrustCircle(Home("a"));
            var circleB = new TrustCircle(Home("b"));
            var listener = Loopback();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            int code = 123456;
            var show = PairingSession.ShowAsync(listener, a, "hub", circleA, code, TimeSpan.FromSeconds(30), cts.Token);
            var joined = (await PairingSession.JoinAsync((IPEndPoint)listener.LocalEndpoint, b, "phone", circleB, code, cts.Token)).Peer;
            var shown = await show;
            listener.Stop();
            Assert.Equal(a.DeviceId, joined!.Id);
            Assert.Equal("hub", joined.Name);
            Assert.Equal(b.DeviceId, shown.Peer!.Id);
            Assert.Equal("phone", circleA.NameOf(b.DeviceId));
            Assert.True(circleB.Contains(a.DeviceId));
        }

        [Fact]
        public async Task Join_WrongCodeThreeTimes_CodeDiesNothingTrusted()
        {
            using var a = NodeIdentity.LoadOrCreate(Home("a"));
            using var b = NodeIdentity.LoadOrCreate(Home("b"));
            var circleA = new TrustCircle(Home("a"));
            var circleB = new TrustCircle(Home("b"));
            var listener = Loopback();
            var ep = (IPEndPoint)listener.LocalEndpoint;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            int code = 654321;
            var show = PairingSession.ShowAsync(listener, a, "hub", circleA, code, TimeSpan.FromSeconds(30), cts.Token);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(PairingVerdict.Wrong, (await PairingSession.JoinAsync(ep, b, "x", circleB, code ^ (1 << (i * 5)), cts.Token)).Verdict);
            }

            var result = await show;
            Assert.Null(result.Peer);
            Assert.Equal(3, result.FailedAttempts);
            Assert.False(result.Expired);

            // The verb closes the port when ShowAsync returns; the right code then reaches nobody.
            listener.Stop();
            await Assert.ThrowsAnyAsync<SocketException>(() => PairingSession.JoinAsync(ep, b, "x", circleB, code, cts.Token));
            Assert.Empty(circleA.Members);
            Assert.Empty(circleB.Members);
        }

        [Fact]
        public async Task Show_NobodyComes_ExpiresWithNothingTrusted()
        {
            using var a = NodeIdentity.LoadOrCreate(Home("a"));
            var circle = new TrustCircle(Home("a"));
            var listener = Loopback();
            var result = await PairingSession.ShowAsync(listener, a, "hub", circle, 1, TimeSpan.FromMilliseconds(300), CancellationToken.None);
            listener.Stop();
            Assert.True(result.Expired);
            Assert.Empty(circle.Members);
        }

        [Fact]
        public async Task Cli_ShowThenJoin_PairsAndBothListsShowPeer()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("a"), "--kind", "laptop", "--allocation", "100MB").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("b"), "--kind", "laptop", "--allocation", "100MB").Code);
            var output = new StringWriter();
            var synced = TextWriter.Synchronized(output);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var show = Task.Run(() => AetherCommand.Run(
                new[] { "pair", "--home", Home("a"), "--name", "hub", "--port", "0", "--interface", "127.0.0.1", "--timeout", "30" },
                new CliContext(synced, TextWriter.Null, cts.Token)));
            Match m = Match.Empty;
            for (int i = 0; i < 200 && !(m = Regex.Match(output.ToString(), @"--code (\d{6}) --peer <this-address>:(\d+)")).Success; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(m.Success, output.ToString());
            var (code, outB, _) = CliRunner.Run("pair", "--home", Home("b"), "--name", "phone", "--code", m.Groups[1].Value, "--peer", "127.0.0.1:" + m.Groups[2].Value);
            Assert.Equal(0, code);
            Assert.Contains("paired with", outB);
            Assert.Equal(0, await show);
            Assert.Contains("phone", CliRunner.Run("trust", "list", "--home", Home("a")).Out);
            Assert.Contains("hub", CliRunner.Run("trust", "list", "--home", Home("b")).Out);
        }

        [Theory]
        [InlineData("12345", "6 digits")]
        [InlineData("abcdef", "6 digits")]
        public void Cli_BadCode_Exit2(string code, string expected)
        {
            var (exit, _, err) = CliRunner.Run("pair", "--home", Home("b"), "--code", code, "--peer", "127.0.0.1:1");
            Assert.Equal(2, exit);
            Assert.Contains(expected, err);
        }

        [Fact]
        public void Cli_BadPeer_Exit2()
        {
            var (exit, _, err) = CliRunner.Run("pair", "--home", Home("b"), "--code", "123456", "--peer", "nowhere");
            Assert.Equal(2, exit);
            Assert.Contains("HOST:PORT", err);
        }

        [Fact]
        public void TryParseCode_AcceptsSpacedAndDashed()
        {
            Assert.True(PairingExchange.TryParseCode("123 456", out int a));
            Assert.True(PairingExchange.TryParseCode("012-345", out int b));
            Assert.Equal(123456, a);
            Assert.Equal(12345, b);
            Assert.Equal("012 345", PairingExchange.FormatCode(12345));
        }
    }
}
