using System.Text.RegularExpressions;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Trust;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests.Trust
{
    /// <summary>`aether pair` without --name: the other device records the name `aether init --name` gave this node.</summary>
    public sealed class PairNameTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-pairname-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(_root, true);

        [Fact]
        public async Task Pair_WithoutName_OtherDeviceRecordsTheInitName_NotTheHostName()
        {
            string a = Path.Combine(_root, "a");
            string b = Path.Combine(_root, "b");
            Assert.Equal(0, CliRunner.Run("init", "--home", a, "--kind", "hub", "--name", "field-hub", "--allocation", "1GB").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", b, "--kind", "laptop", "--allocation", "1GB").Code);
            // The showing side gives no --name (the joining side does, as LoopbackKit's pairing would).
            var output = new StringWriter();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var show = Task.Run(() => AetherCommand.Run(
                new[] { "pair", "--home", a, "--port", "0", "--interface", "127.0.0.1", "--no-mdns", "--timeout", "30" },
                new CliContext(TextWriter.Synchronized(output), TextWriter.Null, cts.Token)));
            Match m = Match.Empty;
            for (int i = 0; i < 200 && !(m = Regex.Match(output.ToString(), @"--code (\d{6}) --peer <this-address>:(\d+)")).Success; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(m.Success, output.ToString());
            var join = CliRunner.Run("pair", "--home", b, "--name", "joiner", "--code", m.Groups[1].Value, "--peer", "127.0.0.1:" + m.Groups[2].Value);
            Assert.True(join.Code == 0, join.Out + join.Err);
            Assert.Equal(0, await show);
            Assert.Contains(new TrustCircle(b).Members, member => member.Name == "field-hub");
        }
    }
}
