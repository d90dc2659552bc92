using System.Diagnostics;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// The real wpa_supplicant 2.10 in its own network namespace on a veth (driver <c>wired</c>: we have no
    /// radio, so P2P itself answers FAIL, but the control protocol is the real one). Per-interface socket
    /// <see cref="SocketPath"/>, global socket <see cref="GlobalPath"/>. Killed and the namespace deleted on Dispose.
    /// </summary>
    internal sealed class RealWpaSupplicant : IDisposable
    {
        private static int s_count;
        private readonly string _ns;
        private Process? _process;

        public RealWpaSupplicant()
        {
            int n = Interlocked.Increment(ref s_count);
            _ns = "aewfd" + (Environment.ProcessId % 100000) + "x" + n;
            Directory = Path.Combine(Path.GetTempPath(), _ns);
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(Path.Combine(Directory, "p2p.conf"),
                "ctrl_interface=" + Path.Combine(Directory, "ctrl") + "\ndevice_name=aether-test\ndevice_type=1-0050F204-1\n");
            Run("ip", "netns", "add", _ns);
            Run("ip", "-n", _ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
            Run("ip", "-n", _ns, "link", "set", "veth0", "up");
            Run("ip", "-n", _ns, "link", "set", "veth1", "up");
            Start();
        }

        public static bool Available => NetnsLabRoot && File.Exists("/usr/sbin/wpa_supplicant") || File.Exists("/sbin/wpa_supplicant") && NetnsLabRoot;

        private static bool NetnsLabRoot => AetherEdge.HostNode.Tests.Sync.NetnsLab.IsRoot;

        public string Directory { get; }

        public string SocketPath => Path.Combine(Directory, "ctrl", "veth0");

        public string GlobalPath => Path.Combine(Directory, "global");

        public int ProcessId => _process?.Id ?? 0;

        /// <summary>Starts wpa_supplicant and waits (bounded) until both sockets exist.</summary>
        public void Start()
        {
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "netns", "exec", _ns, "wpa_supplicant", "-i", "veth0", "-D", "wired", "-c", Path.Combine(Directory, "p2p.conf"), "-g", GlobalPath })
            {
                psi.ArgumentList.Add(a);
            }

            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            for (int i = 0; i < 200 && !(File.Exists(SocketPath) && File.Exists(GlobalPath)); i++)
            {
                Thread.Sleep(50);
            }

            if (!File.Exists(SocketPath))
            {
                throw new InvalidOperationException("wpa_supplicant did not create " + SocketPath);
            }
        }

        /// <summary>Kills wpa_supplicant (by its pid) and waits for it to exit.</summary>
        public void Kill()
        {
            if (_process is { HasExited: false } p)
            {
                p.Kill();
                p.WaitForExit(10_000);
            }

            _process = null;
            try
            {
                File.Delete(SocketPath);
                File.Delete(GlobalPath);
            }
            catch (IOException)
            {
            }
        }

        public void Dispose()
        {
            Kill();
            Run("ip", "netns", "del", _ns);
            try
            {
                System.IO.Directory.Delete(Directory, true);
            }
            catch (IOException)
            {
            }
        }

        private static void Run(string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit(20_000);
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException(file + " " + string.Join(' ', args) + ": " + err);
            }
        }
    }
}
