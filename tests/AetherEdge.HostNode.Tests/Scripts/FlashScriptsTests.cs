namespace AetherEdge.HostNode.Tests.Scripts
{
    public class FlashScriptsTests
    {
        private const string Port = "/dev/ttyAETHERTEST0";

        [SkippableFact]
        public void Shellcheck_EveryScript_IsClean()
        {
            string? shellcheck = ScriptRunner.Which("shellcheck");
            Skip.If(shellcheck is null, "shellcheck is not installed (CI installs it: apt-get install shellcheck)");
            string[] scripts = ScriptRunner.ShellScripts()
                .Concat(Directory.GetFiles(Path.Combine(ScriptRunner.ScriptsDir, "lib"), "*.sh"))
                .ToArray();
            Assert.True(scripts.Length >= 3, "expected flash-beacon.sh, install-hub.sh and lib/common.sh");
            foreach (string script in scripts)
            {
                ProcessResult result = ScriptRunner.Run(shellcheck!, new[] { "--shell=bash", "--severity=style", "--external-sources", script });
                Assert.True(result.ExitCode == 0, Path.GetFileName(script) + ":\n" + result.Stdout + result.Stderr);
            }
        }

        [Fact]
        public void Scripts_Each_HasStrictModeHelpAndDryRun()
        {
            foreach (string script in ScriptRunner.ShellScripts())
            {
                string text = File.ReadAllText(script);
                Assert.StartsWith("#!/usr/bin/env bash\n", text);
                Assert.Contains("set -euo pipefail", text);

                ProcessResult help = ScriptRunner.Bash(script, "--help");
                Assert.Equal(0, help.ExitCode);
                Assert.Contains("Usage: " + Path.GetFileName(script), help.Stdout);
                Assert.Contains("--dry-run", help.Stdout);
            }
        }

        [Fact]
        public void FlashBeacon_DryRun_PlansFirmwareUpdateOnly()
        {
            ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("flash-beacon.sh"), "--port", Port, "--dry-run", "--nanoff", "nanoff");

            Assert.Equal(0, r.ExitCode);
            Assert.Contains("would run: nanoff --update --target ESP32_REV0 --serialport " + Port, r.Stdout);
            Assert.DoesNotContain("--deploy", r.Stdout);
            Assert.Contains("dry run: nothing was flashed", r.Stdout);
        }

        [Fact]
        public void FlashBeacon_DryRunWroverWithImage_PlansFirmwareThenDeploy()
        {
            string image = Path.Combine(Path.GetTempPath(), "aether-beacon-" + Guid.NewGuid().ToString("N") + ".bin");
            File.WriteAllBytes(image, new byte[16]);
            try
            {
                ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("flash-beacon.sh"),
                    "--port", Port, "--board", "wrover", "--image", image, "--fwversion", "1.12.0.4", "--mass-erase", "--dry-run");

                Assert.Equal(0, r.ExitCode);
                string update = "would run: nanoff --update --target ESP32_PSRAM_REV0 --serialport " + Port + " --fwversion 1.12.0.4 --masserase";
                string deploy = "would run: nanoff --target ESP32_PSRAM_REV0 --serialport " + Port + " --deploy --image " + image + " --address 0x190000 --reset";
                Assert.Contains(update, r.Stdout);
                Assert.Contains(deploy, r.Stdout);
                Assert.True(r.Stdout.IndexOf(update, StringComparison.Ordinal) < r.Stdout.IndexOf(deploy, StringComparison.Ordinal), "firmware before app");
            }
            finally
            {
                File.Delete(image);
            }
        }

        [Fact]
        public void FlashBeacon_AppOnlyWithTargetAndAddress_DeploysOnly()
        {
            string image = Path.Combine(Path.GetTempPath(), "aether-beacon-" + Guid.NewGuid().ToString("N") + ".bin");
            File.WriteAllBytes(image, new byte[16]);
            try
            {
                ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("flash-beacon.sh"),
                    "--port", Port, "--target", "ESP32_REV3", "--image", image, "--address", "0x1B0000", "--app-only", "--dry-run");

                Assert.Equal(0, r.ExitCode);
                Assert.DoesNotContain("--update", r.Stdout);
                Assert.Contains("--target ESP32_REV3 --serialport " + Port + " --deploy --image " + image + " --address 0x1B0000", r.Stdout);
            }
            finally
            {
                File.Delete(image);
            }
        }

        [Theory]
        [InlineData(new string[0], "--port is required")]
        [InlineData(new[] { "--port", Port, "--board", "esp8266" }, "--board must be wroom or wrover")]
        [InlineData(new[] { "--port", Port, "--target", "ST_NUCLEO64_F091RC" }, "--target 'ST_NUCLEO64_F091RC' is not an ESP32 nanoff target")]
        [InlineData(new[] { "--port", Port, "--address", "190000" }, "--address must be hexadecimal")]
        [InlineData(new[] { "--port", Port, "--image", "/nonexistent/app.bin" }, "deployment image '/nonexistent/app.bin' not found")]
        [InlineData(new[] { "--port", Port, "--app-only" }, "--app-only needs --image")]
        [InlineData(new[] { "--port" }, "--port needs a value")]
        [InlineData(new[] { "--frobnicate" }, "unknown argument '--frobnicate'")]
        public void FlashBeacon_BadArguments_ExitTwoNamingProblem(string[] args, string message)
        {
            ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("flash-beacon.sh"), args.Append("--dry-run").ToArray());
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("flash-beacon: error: " + message, r.Stderr);
            Assert.DoesNotContain("would run", r.Stdout);
        }

        [Fact]
        public void FlashBeacon_NanoffMissing_ExitThreeWithInstallHint()
        {
            ProcessResult explicitPath = ScriptRunner.Bash(ScriptRunner.Script("flash-beacon.sh"), "--port", Port, "--nanoff", "/nonexistent/nanoff");
            Assert.Equal(3, explicitPath.ExitCode);
            Assert.Contains("nanoff not found", explicitPath.Stderr);
            Assert.Contains("dotnet tool install -g nanoff", explicitPath.Stderr);

            // No nanoff anywhere on a minimal PATH (bash itself is started by absolute path).
            string bash = ScriptRunner.Which("bash")!;
            ProcessResult onPath = ScriptRunner.Run(bash, new[] { ScriptRunner.Script("flash-beacon.sh"), "--port", Port },
                new Dictionary<string, string> { ["PATH"] = "/nonexistent-bin" });
            Assert.Equal(3, onPath.ExitCode);
            Assert.Contains("dotnet tool install -g nanoff", onPath.Stderr);
        }

        [Fact]
        public void FlashBeacon_PortMissing_ExitFourNamingPort()
        {
            // A nanoff that exists (the shell's `true`) so the run gets as far as the port check.
            ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("flash-beacon.sh"), "--port", Port, "--nanoff", "true");
            Assert.Equal(4, r.ExitCode);
            Assert.Contains("serial port " + Port + " not found", r.Stderr);
            Assert.DoesNotContain("+ true", r.Stdout);
        }

        [Fact]
        public void InstallHub_DryRun_PlansEveryStep()
        {
            ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("install-hub.sh"), "--dry-run");

            Assert.Equal(0, r.ExitCode);
            string[] expected =
            {
                "would run: apt-get update",
                "would run: apt-get install -y --no-install-recommends wpasupplicant bluez avahi-daemon i2c-tools",
                "would run: dotnet publish " + Path.Combine(ScriptRunner.RepoRoot, "hostnode/AetherEdge.HostNode/AetherEdge.HostNode.csproj") + " -c Release -r linux-arm64 --self-contained true",
                "would run: install -d -m 0755 /opt/aether",
                "would run: ln -sfn /opt/aether/aether /usr/local/bin/aether",
                "would run: install -d -m 0750 -o aether -g aether /var/lib/aether",
                "would append Wi-Fi Direct settings to /etc/wpa_supplicant/wpa_supplicant.conf:",
                "  device_type=1-0050F204-2",
                "  persistent_reconnect=1",
                "  p2p_go_intent=14",
                "  ip_addr_go=192.168.42.1",
                "note: NetworkManager or dhcpcd keep wlan0; aether drives P2P on p2p-dev-wlan0",
                "would run: install -m 0644 " + ScriptRunner.Script("aether-hub.service") + " /etc/systemd/system/aether-hub.service",
                "would run: systemctl daemon-reload",
                "would run: systemctl enable --now aether-hub.service",
                "done (dry run: nothing was changed)",
            };
            int last = -1;
            foreach (string line in expected)
            {
                int at = r.Stdout.IndexOf(line, StringComparison.Ordinal);
                Assert.True(at > last, "missing or out of order: " + line + "\n" + r.Stdout);
                last = at;
            }

            bool userExists = ScriptRunner.Run("id", new[] { "-u", "aether" }).ExitCode == 0;
            if (!userExists)
            {
                Assert.Contains("would run: useradd --system --home-dir /var/lib/aether --create-home --shell /usr/sbin/nologin --user-group aether", r.Stdout);
            }

            Assert.True(r.Stdout.Contains("hint: I2C is off") || r.Stdout.Contains("I2C bus 1 present"), r.Stdout);

            // The closing hint names the service's home: `aether status` alone would look in the caller's own.
            Assert.Contains("the hub's home is /var/lib/aether", r.Stdout);
            Assert.Contains("status: sudo -u aether /opt/aether/aether status --home /var/lib/aether", r.Stdout);
        }

        [Fact]
        public void InstallHub_DryRun_WithDhcpcdAndNetworkManager_KeepsBothOffTheP2pGroupInterfaces()
        {
            string dir = Directory.CreateTempSubdirectory("aether-wfd-etc-").FullName;
            string dhcpcd = Path.Combine(dir, "dhcpcd.conf");
            string nm = Path.Combine(dir, "NetworkManager");
            File.WriteAllText(dhcpcd, "hostname\n");
            Directory.CreateDirectory(nm);
            try
            {
                ProcessResult r = ScriptRunner.Run("bash", new[] { ScriptRunner.Script("install-hub.sh"), "--dry-run", "--no-apt" }, new Dictionary<string, string> { ["AETHER_DHCPCD_CONF"] = dhcpcd, ["AETHER_NM_DIR"] = nm });
                Assert.Equal(0, r.ExitCode);
                Assert.Contains("would append to " + dhcpcd + ": denyinterfaces p2p-*", r.Stdout);
                Assert.Contains("would write " + nm + "/conf.d/aether-p2p.conf: [keyfile] unmanaged-devices=interface-name:p2p-*", r.Stdout);
                Assert.Equal("hostname\n", File.ReadAllText(dhcpcd));
                Assert.False(Directory.Exists(Path.Combine(nm, "conf.d")));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void InstallHub_DryRunWithPublishDirFrameworkDependent_CopiesWithoutPublishing()
        {
            string dir = Directory.CreateTempSubdirectory("aether-publish-").FullName;
            File.WriteAllText(Path.Combine(dir, "aether"), string.Empty);
            try
            {
                ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("install-hub.sh"),
                    "--publish-dir", dir, "--framework-dependent", "--no-apt", "--no-start", "--prefix", "/opt/aether-test", "--dry-run");

                Assert.Equal(0, r.ExitCode);
                Assert.DoesNotContain("dotnet publish", r.Stdout);
                Assert.DoesNotContain("apt-get", r.Stdout.Replace("skipped (--no-apt)", string.Empty, StringComparison.Ordinal).Replace("needs wpasupplicant", string.Empty, StringComparison.Ordinal));
                Assert.Contains("would run: cp -a " + dir + "/. /opt/aether-test/", r.Stdout);
                Assert.Contains("would write: /etc/systemd/system/aether-hub.service from " + ScriptRunner.Script("aether-hub.service") + " with /opt/aether replaced by /opt/aether-test", r.Stdout);
                Assert.Contains("would run: systemctl enable aether-hub.service", r.Stdout);
                Assert.DoesNotContain("--now", r.Stdout);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Theory]
        [InlineData(new[] { "--rid", "win-x64" }, "--rid must be linux-arm64, linux-arm or linux-x64")]
        [InlineData(new[] { "--prefix", "opt/aether" }, "--prefix must be an absolute path")]
        [InlineData(new[] { "--publish-dir", "/nonexistent/publish" }, "--publish-dir '/nonexistent/publish' has no 'aether' executable")]
        [InlineData(new[] { "--rid" }, "--rid needs a value")]
        [InlineData(new[] { "--bogus" }, "unknown argument '--bogus'")]
        public void InstallHub_BadArguments_ExitNonZeroNamingProblem(string[] args, string message)
        {
            ProcessResult r = ScriptRunner.Bash(ScriptRunner.Script("install-hub.sh"), args.Append("--dry-run").ToArray());
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("install-hub: error: " + message, r.Stderr);
            Assert.DoesNotContain("would run", r.Stdout);
        }

        [Fact]
        public void ServiceUnit_RunsAetherHubAsNotifyServiceUser()
        {
            string[] lines = File.ReadAllLines(ScriptRunner.Script("aether-hub.service"));
            Assert.Contains("Type=notify", lines);
            Assert.Contains("User=aether", lines);
            Assert.Contains("ExecStart=/opt/aether/aether hub --home /var/lib/aether", lines);
            Assert.Contains("ReadWritePaths=/var/lib/aether", lines);
            Assert.Contains("WantedBy=multi-user.target", lines);
        }

        [SkippableFact]
        public void ServiceUnit_PassesSystemdAnalyzeVerify()
        {
            string? analyze = ScriptRunner.Which("systemd-analyze");
            Skip.If(analyze is null, "systemd-analyze is not installed");
            string dir = Directory.CreateTempSubdirectory("aether-unit-").FullName;
            try
            {
                // Same unit with an executable that exists here, so verify checks the unit, not the install.
                string unit = Path.Combine(dir, "aether-hub.service");
                File.WriteAllText(unit, File.ReadAllText(ScriptRunner.Script("aether-hub.service")).Replace("/opt/aether/aether hub", ScriptRunner.Which("true") + " hub", StringComparison.Ordinal));
                ProcessResult r = ScriptRunner.Run(analyze!, new[] { "verify", unit });
                Assert.Equal(0, r.ExitCode);
                Assert.DoesNotContain("aether-hub.service:", r.Stdout + r.Stderr);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
