using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// Real <c>aether hub</c> processes in network namespaces that share no link, each with a SIMULATED
    /// wpa_supplicant on one <see cref="SimulatedAir"/>. Names carry "wfd" and the process id; Dispose kills the
    /// hubs, deletes the namespaces (and with them every group interface) and the files.
    /// </summary>
    internal sealed class WifiDirectLab : IDisposable
    {
        private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);
        private readonly NetnsNodes _nodes = new();
        private readonly List<SimulatedWpaSupplicant> _sims = new();
        private readonly string _tag;
        private int _devices;

        public WifiDirectLab(string name)
        {
            _tag = "aewfd" + name + (Environment.ProcessId % 10000);
            Root = Path.Combine(Path.GetTempPath(), _tag);
            Directory.CreateDirectory(Root);
        }

        public string Root { get; }

        public SimulatedAir Air { get; } = new();

        /// <summary>A new home, its namespace, and its simulated wpa_supplicant (P2P address 02:00:00:00:0N:00).</summary>
        public Device Add(string name, string kind = "hub")
        {
            string home = Path.Combine(Root, name);
            var init = CliRunner.Run("init", "--home", home, "--name", "kit-" + name, "--kind", kind, "--allocation", "2GB");
            Assert.True(init.Code == 0, init.Err);
            string ns = _tag + name;
            _nodes.Add(ns);
            int n = ++_devices;
            var sim = new SimulatedWpaSupplicant(Air, Path.Combine(Root, "wpa-" + name), ns, "02:00:00:00:0" + n + ":00");
            _sims.Add(sim);
            return new Device(name, home, ns, sim, Path.Combine(Root, name + ".log"));
        }

        /// <summary>Pairs <paramref name="b"/> into <paramref name="a"/>'s circle (the one setup step), over a's loopback.</summary>
        public void Pair(Device a, Device b)
        {
            string log = Path.Combine(Root, "pair-" + a.Name + b.Name + ".log");
            var shower = _nodes.StartAether(a.Namespace, log, new[] { "pair", "--home", a.Home, "--interface", "127.0.0.1", "--timeout", "60" });
            Match code = Match.Empty;
            Assert.True(Wait(() => (code = Regex.Match(Read(log), @"--code (\d{6})")).Success, 30), Read(log));
            var join = NetnsNodes.RunAether(a.Namespace, s_bound, new[] { "pair", "--home", b.Home, "--code", code.Groups[1].Value, "--peer", "127.0.0.1:43218" });
            Assert.True(join.Code == 0, join.Output);
            Assert.True(shower.WaitForExit(30_000));
        }

        /// <summary>
        /// Writes a <paramref name="mib"/> MiB file of seeded random bytes and puts it on <paramref name="d"/> inside its
        /// namespace (handed to its hub when one runs there); returns when the put started (the writing is not timed).
        /// </summary>
        public DateTime Put(Device d, string name, int mib, int seed = 14)
        {
            string file = Path.Combine(Root, name + ".bin");
            var rng = new Random(seed);
            using (var f = File.Create(file))
            {
                var block = new byte[1 << 20];
                for (int i = 0; i < mib; i++)
                {
                    rng.NextBytes(block);
                    f.Write(block);
                }
            }

            var started = DateTime.UtcNow;
            var put = NetnsNodes.RunAether(d.Namespace, TimeSpan.FromMinutes(10), new[] { "put", file, "--home", d.Home });
            Assert.True(put.Code == 0, put.Output);
            File.Delete(file);
            return started;
        }

        /// <summary>The shard files in a home's store (names are 64 hex digits).</summary>
        public static List<FileInfo> ShardFiles(string home)
        {
            var dir = new DirectoryInfo(Path.Combine(home, "shards"));
            return dir.Exists
                ? dir.EnumerateFiles("*", SearchOption.AllDirectories).Where(f => Regex.IsMatch(f.Name, "^[0-9a-f]{64}$")).ToList()
                : new List<FileInfo>();
        }

        /// <summary>Starts <c>aether hub</c> on the device's simulated wpa_supplicant; <paramref name="wrap"/> runs in front of dotnet.</summary>
        public void StartHub(Device d, params string[] wrap) =>
            _nodes.StartAether(d.Namespace, d.Log, new[] { "hub", "--home", d.Home, "--bluetooth", "off", "--sync-interval", "1", "--wifi-direct", d.Sim.SocketPath }, wrap);

        /// <summary>Starts <c>aether hub</c> with other options instead of the simulated wpa_supplicant (e.g. <c>--wifi-direct off</c>).</summary>
        public void StartHubWith(Device d, params string[] options) =>
            _nodes.StartAether(d.Namespace, d.Log, new[] { "hub", "--home", d.Home, "--bluetooth", "off", "--sync-interval", "1" }.Concat(options).ToArray());

        /// <summary>The wrapper that shows the hub a battery at <paramref name="percent"/> % discharging, no mains (a bind mount in its own mount namespace).</summary>
        public string[] OnBattery(Device d, int percent)
        {
            string dir = Path.Combine(Root, "power-" + d.Name);
            Directory.CreateDirectory(Path.Combine(dir, "BAT0"));
            Directory.CreateDirectory(Path.Combine(dir, "AC"));
            File.WriteAllText(Path.Combine(dir, "BAT0", "type"), "Battery\n");
            File.WriteAllText(Path.Combine(dir, "BAT0", "present"), "1\n");
            File.WriteAllText(Path.Combine(dir, "BAT0", "capacity"), percent + "\n");
            File.WriteAllText(Path.Combine(dir, "BAT0", "status"), "Discharging\n");
            File.WriteAllText(Path.Combine(dir, "AC", "type"), "Mains\n");
            File.WriteAllText(Path.Combine(dir, "AC", "online"), "0\n");
            return new[] { "sh", "-c", "mount --bind \"$0\" /sys/class/power_supply && exec \"$@\"", dir };
        }

        /// <summary>The hub's /metrics, scraped inside its namespace (HTTP host on 127.0.0.1:43217).</summary>
        public static string Metrics(Device d) =>
            NetnsNodes.Exec(d.Namespace, TimeSpan.FromSeconds(20), new[] { "curl", "-s", "--max-time", "10", "http://127.0.0.1:43217/metrics" }).Output;

        /// <summary>One sample's value (0 when absent), e.g. <c>wifi_direct_declined_total{reason="battery"}</c>.</summary>
        public static double Sample(string metrics, string series)
        {
            foreach (string line in metrics.Split('\n'))
            {
                if (line.StartsWith(series + " ", StringComparison.Ordinal))
                {
                    return double.Parse(line.AsSpan(series.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return 0;
        }

        public static bool HasGroupInterface(Device d) =>
            NetnsNodes.Exec(d.Namespace, TimeSpan.FromSeconds(20), new[] { "ip", "link", "show", SimulatedAir.GroupInterface }).Code == 0;

        public string Diagnosis(params Device[] devices)
        {
            var sb = new StringBuilder();
            foreach (var d in devices)
            {
                sb.Append(d.Name).Append(":\n").Append(Read(d.Log)).Append("\nsim ").Append(d.Name).Append(": ");
                lock (d.Sim.Commands)
                {
                    sb.Append(string.Join(" | ", d.Sim.Commands)).Append('\n');
                }
            }

            return sb.ToString();
        }

        public static string Read(string path)
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

        public static bool Wait(Func<bool> condition, int seconds)
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

        public void Dispose()
        {
            _nodes.Dispose();
            foreach (var s in _sims)
            {
                s.Dispose();
            }

            try
            {
                Directory.Delete(Root, true);
            }
            catch (IOException)
            {
            }
        }

        internal sealed record Device(string Name, string Home, string Namespace, SimulatedWpaSupplicant Sim, string Log);
    }
}
