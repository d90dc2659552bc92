using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AetherEdge.HostNode.Tests.Discovery
{
    /// <summary>Skips a test, with the reason, when the machine cannot run network-namespace interop tests.</summary>
    public sealed class NetnsFactAttribute : FactAttribute
    {
        public NetnsFactAttribute(bool needsAvahi = false)
        {
            Skip = NetnsLab.SkipReason(needsAvahi);
        }
    }

    /// <summary>
    /// Two network namespaces (aemdA 10.77.0.1, aemdB 10.77.0.2) joined by a veth pair, plus every
    /// process started in them. Dispose kills the processes and deletes the namespaces, even after failures.
    /// </summary>
    public sealed class NetnsLab : IDisposable
    {
        /// <summary>Every test class using these fixed namespaces joins this xUnit collection, so they never run at once.</summary>
        public const string Collection = NetnsCollection.Name;

        public const string A = "aemdA";
        public const string B = "aemdB";
        public const string AddrA = "10.77.0.1";
        public const string AddrB = "10.77.0.2";
        public const string Python = "/usr/bin/python3";
        private const string AvahiEtc = "/etc/netns/" + B + "/avahi";

        private readonly List<NsProcess> _processes = new();

        public NetnsLab()
        {
            Teardown();
            Run("ip", "netns", "add", A);
            Run("ip", "netns", "add", B);
            Run("ip", "link", "add", "aemdvA", "type", "veth", "peer", "name", "aemdvB");
            Run("ip", "link", "set", "aemdvA", "netns", A);
            Run("ip", "link", "set", "aemdvB", "netns", B);
            Run("ip", "-n", A, "addr", "add", AddrA + "/24", "dev", "aemdvA");
            Run("ip", "-n", B, "addr", "add", AddrB + "/24", "dev", "aemdvB");
            foreach (var (ns, dev) in new[] { (A, "aemdvA"), (B, "aemdvB") })
            {
                Run("ip", "-n", ns, "link", "set", "lo", "up");
                Run("ip", "-n", ns, "link", "set", dev, "up");
            }

            Directory.CreateDirectory(AvahiEtc + "/services");
            File.WriteAllText(AvahiEtc + "/avahi-daemon.conf",
                "[server]\nhost-name=avahi-aemdb\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=aemdvB\nenable-dbus=no\n" +
                "[publish]\npublish-addresses=yes\n[reflector]\n[rlimits]\n");
        }

        public static string AetherDll => typeof(AetherEdge.HostNode.Program).Assembly.Location;

        public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

        public static string ScriptDir
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null)
                {
                    string candidate = Path.Combine(dir.FullName, "tests", "AetherEdge.HostNode.Tests", "Discovery", "interop");
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }

                    dir = dir.Parent;
                }

                throw new DirectoryNotFoundException("tests/AetherEdge.HostNode.Tests/Discovery/interop not found above " + AppContext.BaseDirectory);
            }
        }

        public static string? SkipReason(bool needsAvahi)
        {
            if (!OperatingSystem.IsLinux())
            {
                return "network namespaces need Linux";
            }

            if (geteuid() != 0)
            {
                return "needs root for ip netns (CI runs as root)";
            }

            if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
            {
                return "iproute2 'ip' is not installed";
            }

            if (!File.Exists(Python) || RunQuiet(Python, "-c", "import zeroconf") != 0)
            {
                return "/usr/bin/python3 with python3-zeroconf is not installed";
            }

            if (needsAvahi && !File.Exists("/usr/sbin/avahi-daemon"))
            {
                return "avahi-daemon is not installed";
            }

            return null;
        }

        /// <summary>Starts <c>aether ARGS</c> inside <paramref name="ns"/>.</summary>
        public NsProcess StartAether(string ns, params string[] args) =>
            Start(ns, new[] { Dotnet, AetherDll }.Concat(args).ToArray());

        public NsProcess StartPython(string ns, string script, params string[] args) =>
            Start(ns, new[] { Python, Path.Combine(ScriptDir, script) }.Concat(args).ToArray());

        /// <summary>Starts avahi-daemon in B with its own /run/avahi-daemon and the given static services.</summary>
        public NsProcess StartAvahi(params (string Name, int Port, string[] Txt)[] services)
        {
            foreach (var f in Directory.GetFiles(AvahiEtc + "/services"))
            {
                File.Delete(f);
            }

            foreach (var s in services)
            {
                string txt = string.Concat(s.Txt.Select(t => $"    <txt-record>{t}</txt-record>\n"));
                File.WriteAllText($"{AvahiEtc}/services/{s.Name}.service",
                    "<?xml version=\"1.0\" standalone='no'?>\n<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n" +
                    $"<service-group>\n  <name>{s.Name}</name>\n  <service>\n    <type>_aetherlight._tcp</type>\n    <port>{s.Port}</port>\n{txt}  </service>\n</service-group>\n");
            }

            return Start(B, "unshare", "-m", "sh", "-c",
                "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits");
        }

        /// <summary>
        /// Renumbers A's veth from <see cref="AddrA"/> to <paramref name="newAddress"/> (add, then delete the
        /// old one; promote_secondaries keeps the new one when the primary goes), as DHCP or a new network would.
        /// </summary>
        public static void MoveAddressA(string newAddress)
        {
            Run("ip", "netns", "exec", A, "sysctl", "-qw", "net.ipv4.conf.aemdvA.promote_secondaries=1");
            Run("ip", "-n", A, "addr", "add", newAddress + "/24", "dev", "aemdvA");
            Run("ip", "-n", A, "addr", "del", AddrA + "/24", "dev", "aemdvA");
        }

        /// <summary>
        /// Routes 224.0.0.0/4 out of <paramref name="ns"/>'s veth. The lab's namespaces have no default route, like an
        /// offline kit; Makaretu.Dns.Multicast joins 224.0.0.251 on INADDR_ANY, which needs a route, so it gets one.
        /// </summary>
        public static void AddMulticastRoute(string ns) =>
            Run("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", ns == A ? "aemdvA" : "aemdvB");

        /// <summary>Starts the Makaretu.Dns.Multicast peer (tests/AetherEdge.MakaretuPeer) inside <paramref name="ns"/>.</summary>
        public NsProcess StartMakaretu(string ns, params string[] args) =>
            Start(ns, new[] { Dotnet, MakaretuDll }.Concat(args).ToArray());

        public static string MakaretuDll => Path.GetFullPath(typeof(NetnsLab).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "MakaretuPeerDll").Value!);

        public NsProcess Start(string ns, params string[] command)
        {
            var p = new NsProcess(new[] { "netns", "exec", ns }.Concat(command).ToArray());
            _processes.Add(p);
            return p;
        }

        public void Dispose()
        {
            foreach (var p in _processes)
            {
                p.Dispose();
            }

            Teardown();
        }

        private static void Teardown()
        {
            RunQuiet("ip", "netns", "del", A);
            RunQuiet("ip", "netns", "del", B);

            // A run killed between creating the veth pair and moving it leaves it in the root namespace.
            RunQuiet("ip", "link", "del", "aemdvA");
            try
            {
                Directory.Delete("/etc/netns/" + B, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }

        private static void Run(params string[] command)
        {
            int rc = RunQuiet(command);
            if (rc != 0)
            {
                throw new InvalidOperationException($"'{string.Join(' ', command)}' failed with exit code {rc}");
            }
        }

        private static int RunQuiet(params string[] command)
        {
            var psi = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in command.Skip(1))
            {
                psi.ArgumentList.Add(a);
            }

            try
            {
                using var p = Process.Start(psi)!;
                if (!p.WaitForExit(10_000))
                {
                    p.Kill(true);
                    return -1;
                }

                return p.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return -1;
            }
        }

        [DllImport("libc")]
        private static extern uint geteuid();
    }

    /// <summary>A process in a namespace with its output lines collected (time-stamped) as they arrive.</summary>
    public sealed class NsProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<(DateTime At, string Line)> _lines = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public NsProcess(string[] ipArgs)
        {
            var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in ipArgs)
            {
                psi.ArgumentList.Add(a);
            }

            _process = new Process { StartInfo = psi };
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data == null ? null : "stderr: " + e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines.Select(l => l.Line));
                }
            }
        }

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        /// <summary>Waits (bounded) for a line matching <paramref name="match"/>; null on timeout.</summary>
        public string? WaitForLine(Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            lock (_lines)
            {
                while (true)
                {
                    foreach (var (_, line) in _lines)
                    {
                        if (match(line))
                        {
                            return line;
                        }
                    }

                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        return null;
                    }

                    Monitor.Wait(_lines, left);
                }
            }
        }

        public bool WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout))
            {
                return false;
            }

            _process.WaitForExit();
            return true;
        }

        /// <summary>Sends SIGTERM (`ip netns exec` execs, so this PID is the program itself).</summary>
        public void Terminate() => kill(_process.Id, 15);

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(3000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        private void Add(string? line)
        {
            if (line == null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add((DateTime.UtcNow, line));
                Monitor.PulseAll(_lines);
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);
    }
}
