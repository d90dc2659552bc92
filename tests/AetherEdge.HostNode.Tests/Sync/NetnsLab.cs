using System.Diagnostics;
using System.Text;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>
    /// Network namespaces for multi-node tests: one bridge namespace and N node namespaces, each with
    /// eth0 on 10.78.S.(i+1)/24 (S from the process id, so parallel runs do not collide). Names start
    /// with <c>aesy</c>. Everything (processes, namespaces) is removed on Dispose, even after failures.
    /// </summary>
    internal sealed class NetnsLab : IDisposable
    {
        private readonly List<Process> _processes = new();
        private readonly List<string> _namespaces = new();
        private readonly string _tag;

        public NetnsLab(int nodes)
        {
            int pid = Environment.ProcessId;
            _tag = "aesy" + (pid % 100000);
            Subnet = pid % 200 + 20;
            Bridge = _tag + "b";
            Run("ip", "netns", "add", Bridge);
            _namespaces.Add(Bridge);
            Run("ip", "-n", Bridge, "link", "add", "br0", "type", "bridge");
            Run("ip", "-n", Bridge, "link", "set", "br0", "up");
            for (int i = 0; i < nodes; i++)
            {
                string ns = Node(i);
                Run("ip", "netns", "add", ns);
                _namespaces.Add(ns);
                Run("ip", "-n", Bridge, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
                Run("ip", "-n", Bridge, "link", "set", "v" + i, "master", "br0");
                Run("ip", "-n", Bridge, "link", "set", "v" + i, "up");
                Run("ip", "-n", ns, "addr", "add", Address(i) + "/24", "dev", "eth0");
                Run("ip", "-n", ns, "link", "set", "eth0", "up");
                Run("ip", "-n", ns, "link", "set", "lo", "up");
            }
        }

        public int Subnet { get; }

        public string Bridge { get; }

        public static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

        public string Node(int i) => _tag + "n" + i;

        public string Address(int i) => "10.78." + Subnet + "." + (i + 1);

        /// <summary>Starts <c>dotnet aether.dll ARGS</c> inside node <paramref name="i"/>, output to <paramref name="log"/>.</summary>
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

        /// <summary>Runs aether in node <paramref name="i"/> to completion (bounded); returns exit code and output.</summary>
        public (int Code, string Output) RunAether(int i, TimeSpan timeout, params string[] args)
        {
            var all = new[] { "netns", "exec", Node(i), "dotnet", Path.Combine(AppContext.BaseDirectory, "aether.dll") }.Concat(args).ToArray();
            return Run("ip", timeout, all);
        }

        /// <summary>Runs any program inside node <paramref name="i"/> (bounded).</summary>
        public (int Code, string Output) Exec(int i, TimeSpan timeout, params string[] command) =>
            Run("ip", timeout, new[] { "netns", "exec", Node(i) }.Concat(command).ToArray());

        public void Kill(Process p)
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

        public void Dispose()
        {
            lock (_processes)
            {
                foreach (var p in _processes)
                {
                    Kill(p);
                }
            }

            foreach (string ns in _namespaces)
            {
                // Any process still inside would keep the namespace's links alive.
                TryRun("ip", "netns", "pids", ns, out string pids);
                foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    TryRun("kill", "-9", pid, out _);
                }

                TryRun("ip", "netns", "del", ns, out _);
            }
        }

        private static void Run(string file, params string[] args)
        {
            var (code, output) = Run(file, TimeSpan.FromSeconds(20), args);
            if (code != 0)
            {
                throw new InvalidOperationException(file + " " + string.Join(' ', args) + " failed (" + code + "): " + output);
            }
        }

        private static bool TryRun(string file, string a, string b, string c, out string output)
        {
            var r = Run(file, TimeSpan.FromSeconds(20), a, b, c);
            output = r.Output;
            return r.Code == 0;
        }

        private static bool TryRun(string file, string a, string b, out string output)
        {
            var r = Run(file, TimeSpan.FromSeconds(20), a, b);
            output = r.Output;
            return r.Code == 0;
        }

        private static (int Code, string Output) Run(string file, TimeSpan timeout, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var output = new StringBuilder();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)timeout.TotalMilliseconds))
            {
                p.Kill(true);
                p.WaitForExit();
                return (-1, "timed out after " + timeout.TotalSeconds + " s: " + stdout.Result + stderr.Result);
            }

            return (p.ExitCode, stdout.Result + stderr.Result);
        }

        [System.Runtime.InteropServices.DllImport("libc")]
        private static extern uint geteuid();
    }
}
