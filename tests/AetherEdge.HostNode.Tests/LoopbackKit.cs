using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests
{
    /// <summary>Shared loopback helpers: a free TCP port, and two homes paired through the real CLI.</summary>
    internal static class LoopbackKit
    {
        public static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        /// <summary>`aether pair` on <paramref name="showHome"/> (loopback, no mDNS), joined from <paramref name="joinHome"/>.</summary>
        public static async Task PairAsync(string showHome, string joinHome)
        {
            var output = new StringWriter();
            var synced = TextWriter.Synchronized(output);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var show = Task.Run(() => AetherCommand.Run(
                new[] { "pair", "--home", showHome, "--name", "shower", "--port", "0", "--interface", "127.0.0.1", "--no-mdns", "--timeout", "30" },
                new CliContext(synced, TextWriter.Null, cts.Token)));
            Match m = Match.Empty;
            for (int i = 0; i < 200 && !(m = Regex.Match(output.ToString(), @"--code (\d{6}) --peer <this-address>:(\d+)")).Success; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(m.Success, output.ToString());
            var join = CliRunner.Run("pair", "--home", joinHome, "--name", "joiner", "--code", m.Groups[1].Value, "--peer", "127.0.0.1:" + m.Groups[2].Value);
            Assert.True(join.Code == 0, join.Out + join.Err);
            Assert.Equal(0, await show);
        }
    }
}
