using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// End to end over a SIMULATED wpa_supplicant (no P2P radio here): two real hubs in two network namespaces
    /// that share no link find each other by P2P service discovery, form a group (the simulation's veth
    /// <c>p2p-wlan0-0</c>), take addresses, authenticate over TLS and sync: a put on one ends with shards on the other.
    /// </summary>
    [Collection(NetnsCollection.Name)]
    public sealed class WifiDirectSimulationTests
    {
        private static readonly string s_dll = Path.Combine(AppContext.BaseDirectory, "aether.dll");

        [SkippableFact]
        public void TwoHubsWithNoSharedLink_FindEachOtherByServiceDiscovery_FormAGroup_AndSyncShards()
        {
            Skip.IfNot(AetherEdge.HostNode.Tests.Sync.NetnsLab.IsRoot, "needs root for network namespaces (CI runs as root)");
            string tag = "aewfds" + (Environment.ProcessId % 100000);
            string root = Path.Combine(Path.GetTempPath(), tag);
            Directory.CreateDirectory(root);
            string homeA = Path.Combine(root, "a"), homeB = Path.Combine(root, "b");
            string nsA = tag + "a", nsB = tag + "b";
            var processes = new List<Process>();
            var air = new SimulatedAir();
            SimulatedWpaSupplicant? simA = null, simB = null;
            try
            {
                Assert.Equal(0, CliRunner.Run("init", "--home", homeA, "--name", "kit-a", "--kind", "hub", "--allocation", "2GB").Code);
                Assert.Equal(0, CliRunner.Run("init", "--home", homeB, "--name", "kit-b", "--kind", "hub", "--allocation", "2GB").Code);
                foreach (string ns in new[] { nsA, nsB })
                {
                    Sh("ip", "netns", "add", ns);
                    Sh("ip", "-n", ns, "link", "set", "lo", "up");
                }

                // Pairing (the one setup step) inside namespace A over its loopback.
                string pairLog = Path.Combine(root, "pair.log");
                var shower = Start(processes, nsA, pairLog, "pair", "--home", homeA, "--interface", "127.0.0.1", "--timeout", "60");
                Match code = Match.Empty;
                Assert.True(Wait(() => (code = Regex.Match(Read(pairLog), @"--code (\d{6})")).Success, 30), Read(pairLog));
                var join = Run(nsA, "pair", "--home", homeB, "--code", code.Groups[1].Value, "--peer", "127.0.0.1:43218");
                Assert.True(join.Code == 0, join.Output);
                Assert.True(shower.WaitForExit(30_000));

                string file = Path.Combine(root, "photo.bin");
                File.WriteAllBytes(file, RandomNumberGeneratorBytes(3 << 20));
                var put = CliRunner.Run("put", file, "--home", homeA);
                Assert.True(put.Code == 0, put.Err);

                simA = new SimulatedWpaSupplicant(air, Path.Combine(root, "wpa-a"), nsA, "02:00:00:00:0a:00");
                simB = new SimulatedWpaSupplicant(air, Path.Combine(root, "wpa-b"), nsB, "02:00:00:00:0b:00");
                var started = Stopwatch.StartNew();
                string logA = Path.Combine(root, "hub-a.log"), logB = Path.Combine(root, "hub-b.log");
                Start(processes, nsA, logA, "hub", "--home", homeA, "--bluetooth", "off", "--sync-interval", "1", "--wifi-direct", simA.SocketPath);
                Start(processes, nsB, logB, "hub", "--home", homeB, "--bluetooth", "off", "--sync-interval", "1", "--wifi-direct", simB.SocketPath);

                bool synced = Wait(() => Regex.IsMatch(Read(logB) + Read(logA), @"sync with \S+: Complete, received [1-9]\d{5,} B"), 120);
                string diagnosis = "A:\n" + Read(logA) + "\nB:\n" + Read(logB) + "\nsim A: " + string.Join(" | ", simA.Commands) + "\nsim B: " + string.Join(" | ", simB.Commands);
                Assert.True(synced, diagnosis);
                double seconds = started.Elapsed.TotalSeconds;
                Assert.Contains("Wi-Fi Direct group p2p-wlan0-0 up as group owner", Read(logA) + Read(logB), StringComparison.Ordinal);
                Assert.Contains("Wi-Fi Direct group p2p-wlan0-0 up as client", Read(logA) + Read(logB), StringComparison.Ordinal);
                Console.WriteLine("wifi-direct simulation: first shards synced over the group " + seconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " s after the hubs started");
            }
            finally
            {
                foreach (var p in processes)
                {
                    try
                    {
                        p.Kill(true);
                        p.WaitForExit(10_000);
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }

                simA?.Dispose();
                simB?.Dispose();
                foreach (string ns in new[] { nsA, nsB })
                {
                    Sh("ip", "netns", "del", ns);
                }

                try
                {
                    Directory.Delete(root, true);
                }
                catch (IOException)
                {
                }
            }
        }

        private static byte[] RandomNumberGeneratorBytes(int n)
        {
            var b = new byte[n];
            new Random(14).NextBytes(b);
            return b;
        }

        private static Process Start(List<Process> processes, string ns, string log, params string[] args)
        {
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "netns", "exec", ns, "dotnet", s_dll }.Concat(args))
            {
                psi.ArgumentList.Add(a);
            }

            var p = Process.Start(psi)!;
            var sink = TextWriter.Synchronized(new StreamWriter(log, true) { AutoFlush = true });
            p.OutputDataReceived += (_, e) => { if (e.Data != null) { sink.WriteLine(e.Data); } };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) { sink.WriteLine(e.Data); } };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            processes.Add(p);
            return p;
        }

        private static (int Code, string Output) Run(string ns, params string[] args)
        {
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "netns", "exec", ns, "dotnet", s_dll }.Concat(args))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000))
            {
                p.Kill(true);
            }

            p.WaitForExit();
            return (p.ExitCode, o.Result + e.Result);
        }

        private static void Sh(params string[] args)
        {
            var psi = new ProcessStartInfo(args[0]) { UseShellExecute = false, RedirectStandardError = true };
            foreach (string a in args.Skip(1))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            p.StandardError.ReadToEnd();
            p.WaitForExit(20_000);
        }

        private static string Read(string path)
        {
            try
            {
                using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                return new StreamReader(s, Encoding.UTF8).ReadToEnd();
            }
            catch (IOException)
            {
                return string.Empty;
            }
        }

        private static bool Wait(Func<bool> condition, int seconds)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                if (condition())
                {
                    return true;
                }

                Thread.Sleep(250);
            }

            return condition();
        }
    }
}
