using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Trust;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>`aether get` without --peers: the running hub's trusted peers (HOME/hub.run.json), real hubs on loopback.</summary>
    public sealed class RunFileTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-runfile-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, true);
            }
        }

        private string Home(string name) => Path.Combine(_root, name);

        [Fact]
        public async Task Hub_WritesItsTrustedPeersToTheRunFile_AndDeletesItOnStop()
        {
            await PairedHomes();
            int portA = LoopbackKit.FreePort();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var hubA = StartHub("a", portA, stop.Token);
            var hubB = StartHub("b", LoopbackKit.FreePort(), stop.Token, "--peers", "127.0.0.1:" + portA);
            string aId = new TrustCircle(Home("b")).Members.Single().Id.Text;
            try
            {
                RunningPeersState? state = null;
                for (int i = 0; i < 240 && !(state?.Peers.Any(p => p.DeviceId == aId) ?? false); i++)
                {
                    await Task.Delay(250);
                    state = RunningPeersFile.Read(Home("b"));
                }

                Assert.NotNull(state);
                var peer = Assert.Single(state!.Peers);
                Assert.Equal(aId, peer.DeviceId);
                Assert.Equal("127.0.0.1:" + portA, peer.EndPoint);
            }
            finally
            {
                stop.Cancel();
                Assert.Equal(0, await hubB);
                Assert.Equal(0, await hubA);
            }

            Assert.False(File.Exists(RunningPeersFile.PathOf(Home("b"))));
        }

        [Fact]
        public async Task Get_WithoutPeers_AsksThePeersTheRunFileNames()
        {
            await PairedHomes();
            string input = Path.Combine(_root, "notes.bin");
            var bytes = new byte[1_500_000];
            new Random(3).NextBytes(bytes);
            File.WriteAllBytes(input, bytes);
            var put = CliRunner.Run("put", input, "--home", Home("a"), "--json");
            Assert.True(put.Code == 0, put.Err);
            string fileId = JsonDocument.Parse(put.Out).RootElement.GetProperty("fileId").GetString()!;

            int portA = LoopbackKit.FreePort();
            string aId = new TrustCircle(Home("b")).Members.Single().Id.Text;
            RunningPeersFile.Write(Home("b"), new RunningPeersState
            {
                Pid = Environment.ProcessId,
                Peers = new List<RunningPeer> { new() { EndPoint = "127.0.0.1:" + portA, DeviceId = aId, Source = "mdns" } },
            });
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var hubA = StartHub("a", portA, stop.Token);
            try
            {
                string output = Path.Combine(_root, "fetched.bin");
                (int Code, string Out, string Err) get = (-1, string.Empty, string.Empty);
                for (int i = 0; i < 40 && get.Code != 0; i++)
                {
                    get = CliRunner.Run("get", fileId, "--home", Home("b"), "-o", output);
                    if (get.Code != 0)
                    {
                        await Task.Delay(250);
                    }
                }

                Assert.True(get.Code == 0, get.Out + get.Err);
                Assert.Equal(bytes, File.ReadAllBytes(output));
            }
            finally
            {
                stop.Cancel();
                Assert.Equal(0, await hubA);
            }
        }

        [Fact]
        public void Get_NoPeerFound_FailsNamingWhatItTriedAndPeers()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("b"), "--kind", "laptop", "--allocation", "1GB").Code);
            var r = CliRunner.Run("get", new string('a', 32), "--home", Home("b"), "-o", Path.Combine(_root, "x"));
            Assert.Equal(1, r.Code);
            string line = Assert.Single(r.Err.Trim().Split('\n'));
            Assert.Contains("--peers HOST:PORT", line);
            Assert.Contains("mDNS browse", line);
            Assert.Contains(RunningPeersFile.FileName, line);
        }

        [Fact]
        public void Peers_TakesHostNames()
        {
            var root = AetherCommand.Create(new CliContext(TextWriter.Null, TextWriter.Null, CancellationToken.None));
            var parse = root.Parse(new[] { "get", "x", "--peers", "localhost:4321,127.0.0.2:9" });
            Assert.Empty(parse.Errors);
            var peers = parse.GetValue<System.Net.IPEndPoint[]?>("--peers")!;
            Assert.Equal(new[] { "127.0.0.1:4321", "127.0.0.2:9" }, peers.Select(p => p.ToString()));
        }

        [Theory]
        [InlineData("no-such-host.invalid:4321")]
        [InlineData("localhost")]
        [InlineData("localhost:0")]
        [InlineData("bad host:1")]
        public void Peers_UnresolvableOrMalformed_OneLineExit2(string value)
        {
            var r = CliRunner.Run("get", "x", "--peers", value, "--home", Home("none"));
            Assert.Equal(2, r.Code);
            string line = Assert.Single(r.Err.Trim().Split('\n'));
            Assert.Contains("--peers", line);
        }

        private async Task PairedHomes()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("a"), "--kind", "desktop", "--allocation", "1GB").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("b"), "--kind", "laptop", "--allocation", "1GB").Code);
            await LoopbackKit.PairAsync(Home("a"), Home("b"));
        }

        private Task<int> StartHub(string name, int port, CancellationToken stop, params string[] extra) =>
            Task.Run(() => AetherCommand.Run(
                new[] { "hub", "--home", Home(name), "--port", port.ToString(), "--http-port", "0", "--interface", "127.0.0.1", "--no-mdns" }.Concat(extra).ToArray(),
                new CliContext(TextWriter.Null, TextWriter.Null, stop)));
    }
}
