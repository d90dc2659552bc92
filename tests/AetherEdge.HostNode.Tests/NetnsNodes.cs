using System.Diagnostics;

namespace AetherEdge.HostNode.Tests
{
    /// <summary>
    /// What every multi-node namespace lab shares: the namespaces it made, the aether processes it started in
    /// them, and bounded commands. Dispose kills those processes and anything else left inside, then deletes the
    /// namespaces, even after a failed test.
    /// </summary>
    internal sealed class NetnsNodes : IDisposable
    {
        private static readonly TimeSpan s_commandBound = TimeSpan.FromSeconds(20);
        private readonly List<Process> _processes = new();
        private readonly List<string> _namespaces = new();

        /// <summary>Creates namespace <paramref name="ns"/> with its loopback up; deleted on Dispose.</summary>
        public void Add(string ns)
        {
            Check("ip", "netns", "add", ns);
            _namespaces.Add(ns);
            Check("ip", "-n", ns, "link", "set", "lo", "up");
        }

        /// <summary>Starts <c>dotnet aether.dll ARGS</c> inside <paramref name="ns"/>, output appended to <paramref name="log"/>.</summary>
        public Process StartAether(string ns, string log, string[] args) => StartAether(ns, log, args, Array.Empty<string>());

        /// <summary>As above, with <paramref name="wrap"/> (e.g. <c>sh -c '... exec "$@"' ARG0</c>) run in front of dotnet inside the namespace.</summary>
        public Process StartAether(string ns, string log, string[] args, string[] wrap)
        {
            var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in AetherIn(ns, args, wrap))
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

        /// <summary>Runs aether inside <paramref name="ns"/> to completion (bounded); exit code and output.</summary>
        public static (int Code, string Output) RunAether(string ns, TimeSpan timeout, string[] args) =>
            Run("ip", timeout, AetherIn(ns, args));

        /// <summary>Runs any program inside <paramref name="ns"/> (bounded).</summary>
        public static (int Code, string Output) Exec(string ns, TimeSpan timeout, string[] command) =>
            Run("ip", timeout, new[] { "netns", "exec", ns }.Concat(command).ToArray());

        public static void Kill(Process p)
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
                var (_, pids) = Run("ip", s_commandBound, "netns", "pids", ns);
                foreach (string pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    Run("kill", s_commandBound, "-9", pid);
                }

                Run("ip", s_commandBound, "netns", "del", ns);
            }
        }

        /// <summary>Runs a set-up command; throws with its output when it fails.</summary>
        public static void Check(string file, params string[] args)
        {
            var (code, output) = Run(file, s_commandBound, args);
            if (code != 0)
            {
                throw new InvalidOperationException(file + " " + string.Join(' ', args) + " failed (" + code + "): " + output);
            }
        }

        /// <summary>Runs a command to completion or kills it at <paramref name="timeout"/> (code -1); stdout then stderr.</summary>
        public static (int Code, string Output) Run(string file, TimeSpan timeout, params string[] args)
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

            return (p.ExitCode, stdout.Result + stderr.Result);
        }

        private static string[] AetherIn(string ns, string[] args, string[]? wrap = null) =>
            new[] { "netns", "exec", ns }.Concat(wrap ?? Array.Empty<string>()).Concat(new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "aether.dll") }).Concat(args).ToArray();
    }
}
