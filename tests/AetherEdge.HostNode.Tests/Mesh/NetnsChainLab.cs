using System.Diagnostics;
using System.Text;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// Three network namespaces in a chain, A – B – C: A's eth0 and B's eth0 share one veth link
    /// (10.77.S.0/24: A .1, B .2), B's eth1 and C's eth0 another (10.76.S.0/24: B .1, C .2). B does not
    /// forward IP, and A and C have no route to each other's subnet, so A and C can only meet through B's
    /// mesh. Names start with <c>aemc</c> plus the process id; everything is removed on Dispose.
    /// </summary>
    internal sealed class NetnsChainLab : IDisposable
    {
        private readonly List<Process> _processes = new();
        private readonly string _tag;

        public NetnsChainLab()
        {
            int pid = Environment.ProcessId;
            _tag = "aemc" + (pid % 100000);
            Subnet = pid % 200 + 20;
            foreach (string ns in new[] { Node(0), Node(1), Node(2) })
            {
                Run("ip", "netns", "add", ns);
                Run("ip", "-n", ns, "link", "set", "lo", "up");
            }

            Run("ip", "-n", Node(0), "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", Node(1));
            Run("ip", "-n", Node(1), "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", Node(2));
            Address(0, "eth0", LinkA(0));
            Address(1, "eth0", LinkA(1));
            Address(1, "eth1", LinkB(1));
            Address(2, "eth0", LinkB(2));
            Run("ip", "netns", "exec", Node(1), "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
        }

        public int Subnet { get; }

        public string Node(int i) => _tag + "n" + i;

        /// <summary>Address on the A–B link: node 0 (A) or 1 (B).</summary>
        public string LinkA(int i) => "10.77." + Subnet + "." + (i + 1);

        /// <summary>Address on the B–C link: node 1 (B) or 2 (C).</summary>
        public string LinkB(int i) => "10.76." + Subnet + "." + i;

        public Process StartAether(int i, string log, params string[] args)
        {
            var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "netns", "exec", Node(i), "dotnet", Path.Combine(AppContext.BaseDirectory, "aether.dll") }.Concat(args))
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            var p = new Process { StartInfo = psi };
            var sink = TextWriter.Synchronized(new StreamWriter(log, true) { AutoFlush = true });
            p.OutputDataReceived += (_, e) => { if (e.Data != null) { sink.WriteLine(e.Data); } };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) { sink.WriteLine(e.Data); } };
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            lock (_processes)
            {
                _processes.Add(p);
            }

            return p;
        }

        public (int Code, string Output) RunAether(int i, TimeSpan timeout, params string[] args) =>
            Run("ip", timeout, new[] { "netns", "exec", Node(i), "dotnet", Path.Combine(AppContext.BaseDirectory, "aether.dll") }.Concat(args).ToArray());

        public (int Code, string Output) Exec(int i, TimeSpan timeout, params string[] command) =>
            Run("ip", timeout, new[] { "netns", "exec", Node(i) }.Concat(command).ToArray());

        public void Dispose()
        {
            lock (_processes)
            {
                foreach (var p in _processes)
                {
                    try
                    {
                        p.Kill(entireProcessTree: true);
                        p.WaitForExit(10_000);
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
            }

            for (int i = 0; i < 3; i++)
            {
                var (_, pids) = Run("ip", TimeSpan.FromSeconds(20), "netns", "pids", Node(i));
                foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    Run("kill", TimeSpan.FromSeconds(20), "-9", pid);
                }

                Run("ip", TimeSpan.FromSeconds(20), "netns", "del", Node(i));
            }
        }

        private void Address(int node, string dev, string address)
        {
            Run("ip", "-n", Node(node), "addr", "add", address + "/24", "dev", dev);
            Run("ip", "-n", Node(node), "link", "set", dev, "up");
        }

        private static void Run(string file, params string[] args)
        {
            var (code, output) = Run(file, TimeSpan.FromSeconds(20), args);
            if (code != 0)
            {
                throw new InvalidOperationException(file + " " + string.Join(' ', args) + " failed (" + code + "): " + output);
            }
        }

        private static (int Code, string Output) Run(string file, TimeSpan timeout, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)timeout.TotalMilliseconds))
            {
                p.Kill(true);
                p.WaitForExit();
                return (-1, "timed out after " + timeout.TotalSeconds + " s: " + stdout.Result + stderr.Result);
            }

            return (p.ExitCode, new StringBuilder().Append(stdout.Result).Append(stderr.Result).ToString());
        }
    }
}
