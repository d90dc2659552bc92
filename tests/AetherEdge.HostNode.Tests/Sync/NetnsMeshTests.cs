using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Xunit;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>
    /// Real processes in network namespaces: three hubs pair over the LAN with one-time codes, sync
    /// shards over TLS, a killed transfer resumes after restart, and a fourth, unpaired node gets nothing.
    /// </summary>
    public sealed class NetnsMeshTests : IDisposable
    {
        private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-mesh-" + Guid.NewGuid().ToString("N"));

        public NetnsMeshTests()
        {
            Directory.CreateDirectory(_root);
        }

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, true);
            }
        }

        private string Home(int i) => Path.Combine(_root, "home" + i);

        private string Log(string name) => Path.Combine(_root, name + ".log");

        private static string Read(string path)
        {
            using var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(fs).ReadToEnd();
        }

        private static bool WaitFor(Func<bool> condition, TimeSpan timeout, int pollMs = 100)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                if (condition())
                {
                    return true;
                }

                Thread.Sleep(pollMs);
            }

            return condition();
        }

        private void Pair(NetnsLab lab, int show, int join)
        {
            string log = Log("pair-" + show + "-" + join);
            var shower = lab.StartAether(show, log, "pair", "--home", Home(show), "--name", "node" + show, "--interface", lab.Address(show), "--timeout", "60");
            Match m = Match.Empty;
            Assert.True(WaitFor(() => (m = Regex.Match(Read(log), @"--code (\d{6})")).Success, StepTimeout), "no pairing code: " + Read(log));
            var (code, output) = lab.RunAether(join, StepTimeout, "pair", "--home", Home(join), "--name", "node" + join, "--code", m.Groups[1].Value, "--peer", lab.Address(show) + ":43218");
            Assert.True(code == 0, "join failed: " + output);
            Assert.True(shower.WaitForExit(30_000), "showing side did not finish");
            Assert.Equal(0, shower.ExitCode);
        }

        private Process StartHub(NetnsLab lab, int i, string kind, string log, params int[] peers)
        {
            var args = new List<string>
            {
                "hub", "--home", Home(i), "--name", "node" + i, "--kind", kind, "--interface", lab.Address(i),
                "--sync-interval", "1", "--no-mdns", "--allocation", "2GB",
            };
            if (peers.Length > 0)
            {
                args.Add("--peers");
                args.Add(string.Join(',', peers.Select(p => lab.Address(p) + ":43216")));
            }

            return lab.StartAether(i, log, args.ToArray());
        }

        private string Shard(int i, string id) => Path.Combine(Home(i), "sync-store", "shards", id);

        private string Partial(int i, string id) => Path.Combine(Home(i), "sync-store", "partial", id);

        [SkippableFact]
        public void Mesh_ThreeHubsPairSyncResumeAndStrangerGetsNothing()
        {
            Skip.IfNot(NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            using var lab = new NetnsLab(4);
            Pair(lab, 0, 1);
            Pair(lab, 0, 2);
            Pair(lab, 1, 2);
            Assert.Equal(2, lab.RunAether(0, StepTimeout, "trust", "list", "--json", "--home", Home(0)).Output.Split("\"id\"").Length - 1);

            // A big shard to interrupt, and small ones.
            Directory.CreateDirectory(Path.GetDirectoryName(Shard(0, "big0"))!);
            var big = new byte[300 * 1024 * 1024];
            new Random(5).NextBytes(big);
            File.WriteAllBytes(Shard(0, "big0"), big);
            byte[] bigHash = SHA256.HashData(big);
            big = Array.Empty<byte>();
            for (int s = 0; s < 5; s++)
            {
                File.WriteAllBytes(Shard(0, "small" + s), RandomNumberGenerator.GetBytes(10_000 + s));
            }

            StartHub(lab, 0, "hub", Log("hub0"));
            var hub1 = StartHub(lab, 1, "laptop", Log("hub1"), 0);

            // Kill node 1 mid-transfer, then restart it: it must resume from its partial copy.
            Assert.True(WaitFor(() => File.Exists(Partial(1, "big0")) && new FileInfo(Partial(1, "big0")).Length > 20_000_000, StepTimeout, 5), "transfer never started: " + Read(Log("hub1")));
            lab.Kill(hub1);
            long partial = new FileInfo(Partial(1, "big0")).Length;
            Assert.False(File.Exists(Shard(1, "big0")), "transfer finished before the kill; cannot test resume");
            StartHub(lab, 1, "laptop", Log("hub1-restart"), 0, 2);
            Assert.True(WaitFor(() => File.Exists(Shard(1, "big0")), StepTimeout), "no resume: " + Read(Log("hub1-restart")));
            using (var f = File.OpenRead(Shard(1, "big0")))
            {
                Assert.Equal(bigHash, SHA256.HashData(f));
            }

            long received = Regex.Matches(Read(Log("hub1-restart")), @"received (\d+) B").Sum(x => long.Parse(x.Groups[1].Value));
            Assert.InRange(received, 300L * 1024 * 1024 - partial, (300L * 1024 * 1024) - partial + 100_000);

            // Third node joins; every shard reaches it.
            StartHub(lab, 2, "mobile", Log("hub2"), 0, 1);
            Assert.True(WaitFor(() => Enumerable.Range(0, 5).All(s => File.Exists(Shard(2, "small" + s))) && File.Exists(Shard(2, "big0")), StepTimeout), "node 2 incomplete: " + Read(Log("hub2")));

            // A stranger that knows everyone's address but is in nobody's circle gets nothing.
            StartHub(lab, 3, "hub", Log("hub3"), 0, 1, 2);
            Assert.True(WaitFor(() => Regex.Matches(Read(Log("hub0")), "refused connection").Count >= 2, StepTimeout), "no refusal logged: " + Read(Log("hub0")));
            string shards3 = Path.Combine(Home(3), "sync-store", "shards");
            Assert.True(!Directory.Exists(shards3) || !Directory.EnumerateFiles(shards3).Any());
            Assert.True(!Directory.Exists(Path.Combine(Home(3), "sync-store", "partial")) || !Directory.EnumerateFiles(Path.Combine(Home(3), "sync-store", "partial")).Any());
            var (code, metrics) = lab.Exec(0, StepTimeout, "/usr/bin/python3", "-c",
                "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:43217/metrics').read().decode())");
            Assert.True(code == 0, metrics);
            Assert.Matches(@"mesh_handshakes_refused [1-9]", metrics);
            Assert.Matches(@"mesh_sync_attempts [1-9]", metrics);
        }
    }
}
