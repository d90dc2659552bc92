using System.Diagnostics;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// A real dbus-daemon on a private socket in a temp dir, with a permissive policy. One per test class
    /// (xunit class fixture); killed by pid and its directory removed on Dispose.
    /// </summary>
    public sealed class PrivateBus : IDisposable
    {
        private readonly string _dir;
        private readonly Process _daemon;

        public PrivateBus()
        {
            _dir = Path.Combine(Path.GetTempPath(), "aether-dbus-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            string socket = Path.Combine(_dir, "bus");
            string config = Path.Combine(_dir, "bus.conf");
            File.WriteAllText(config,
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n" +
                "<busconfig>\n  <type>custom</type>\n  <listen>unix:path=" + socket + "</listen>\n  <auth>EXTERNAL</auth>\n" +
                "  <policy context=\"default\">\n    <allow user=\"*\"/>\n    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n" +
                "    <allow eavesdrop=\"true\"/>\n    <allow own=\"*\"/>\n  </policy>\n</busconfig>\n");
            string? exe = new[] { "/usr/bin/dbus-daemon", "/bin/dbus-daemon" }.FirstOrDefault(File.Exists);
            if (exe == null)
            {
                throw new InvalidOperationException("dbus-daemon is not installed (apt-get install dbus; .ci/run does this)");
            }

            var start = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--config-file=" + config);
            start.ArgumentList.Add("--nofork");
            start.ArgumentList.Add("--nopidfile");
            start.ArgumentList.Add("--print-address");
            _daemon = Process.Start(start)!;
            Task<string?> line = _daemon.StandardOutput.ReadLineAsync();
            if (!line.Wait(TimeSpan.FromSeconds(10)) || line.Result == null)
            {
                string err = _daemon.HasExited ? _daemon.StandardError.ReadToEnd() : "no address printed";
                Dispose();
                throw new InvalidOperationException("dbus-daemon did not start: " + err);
            }

            Address = line.Result.Trim();
        }

        public string Address { get; } = "";

        /// <summary>A plain Tmds.DBus.Protocol connection to this bus (a stranger, a second bluetoothd, a test probe).</summary>
        public async Task<DBusConnection> ConnectAsync()
        {
            var connection = new DBusConnection(Address);
            await connection.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return connection;
        }

        public void Dispose()
        {
            try
            {
                if (!_daemon.HasExited)
                {
                    _daemon.Kill();
                    _daemon.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // already reaped
            }

            _daemon.Dispose();

            try
            {
                Directory.Delete(_dir, true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }
}
