using System.Text.RegularExpressions;

namespace AetherEdge.HostNode.Tests.Discovery
{
    /// <summary>`aether pair --code` without --peer finds the device showing the code over mDNS (real namespaces).</summary>
    [Collection(NetnsLab.Collection)]
    public class PairingDiscoveryTests
    {
        private static readonly TimeSpan s_step = TimeSpan.FromSeconds(20);

        /// <summary>An initialised home (pair refuses a home `aether init` never made).</summary>
        private static string NewHome()
        {
            string home = Path.Combine(Path.GetTempPath(), "aemd-pair-" + Guid.NewGuid().ToString("N"));
            var init = CliRunner.Run("init", "--home", home, "--kind", "laptop", "--allocation", "100MB");
            Assert.True(init.Code == 0, init.Err);
            return home;
        }

        private static string ShowCode(NsProcess shower)
        {
            string? line = shower.WaitForLine(l => Regex.IsMatch(l, @"--code \d{6} --peer"), s_step);
            Assert.True(line != null, shower.Output);
            return Regex.Match(line, @"--code (\d{6})").Groups[1].Value;
        }

        [NetnsFact]
        public void JoinWithoutPeer_FindsTheWaitingDeviceByMdns_BothTrustEachOther()
        {
            using var lab = new NetnsLab();
            string a = NewHome(), b = NewHome();
            try
            {
                var shower = lab.StartAether(NetnsLab.A, "pair", "--home", a, "--name", "field-hub", "--interface", NetnsLab.AddrA, "--timeout", "60");
                string code = ShowCode(shower);
                var joiner = lab.StartAether(NetnsLab.B, "pair", "--home", b, "--name", "field-phone", "--code", code, "--interface", NetnsLab.AddrB);
                Assert.True(joiner.WaitForExit(s_step), joiner.Output);
                Assert.True(joiner.ExitCode == 0, joiner.Output);
                Assert.Contains("found field-hub waiting to pair at " + NetnsLab.AddrA + ":43218", joiner.Output);
                Assert.Contains("paired with", joiner.Output);
                Assert.True(shower.WaitForExit(s_step), shower.Output);
                Assert.Equal(0, shower.ExitCode);

                var listA = lab.StartAether(NetnsLab.A, "trust", "list", "--home", a);
                Assert.True(listA.WaitForExit(s_step));
                Assert.Contains("field-phone", listA.Output);
                var listB = lab.StartAether(NetnsLab.B, "trust", "list", "--home", b);
                Assert.True(listB.WaitForExit(s_step));
                Assert.Contains("field-hub", listB.Output);
            }
            finally
            {
                foreach (var home in new[] { a, b }.Where(Directory.Exists))
                {
                    Directory.Delete(home, recursive: true);
                }
            }
        }

        [NetnsFact]
        public void TwoDevicesWaiting_JoinListsBothAndTrustsNobody()
        {
            using var lab = new NetnsLab();
            string a1 = NewHome(), a2 = NewHome(), b = NewHome();
            try
            {
                var first = lab.StartAether(NetnsLab.A, "pair", "--home", a1, "--name", "hub-one", "--interface", NetnsLab.AddrA, "--port", "43218", "--timeout", "60");
                var second = lab.StartAether(NetnsLab.A, "pair", "--home", a2, "--name", "hub-two", "--interface", NetnsLab.AddrA, "--port", "43219", "--timeout", "60");
                string code = ShowCode(first);
                ShowCode(second);
                Assert.True(first.WaitForLine(l => l.Contains("(same LAN", StringComparison.Ordinal), s_step) != null, first.Output);

                var joiner = lab.StartAether(NetnsLab.B, "pair", "--home", b, "--code", code, "--interface", NetnsLab.AddrB, "--timeout", "8");
                Assert.True(joiner.WaitForExit(s_step), joiner.Output);
                Assert.Equal(1, joiner.ExitCode);
                Assert.Contains("2 devices are waiting to pair", joiner.Output);
                Assert.Contains("hub-one", joiner.Output);
                Assert.Contains("--peer " + NetnsLab.AddrA + ":43219", joiner.Output);
                Assert.DoesNotContain("paired with", joiner.Output);
                Assert.False(first.HasExited, "a wrong guess was never sent to either device");
            }
            finally
            {
                foreach (var home in new[] { a1, a2, b }.Where(Directory.Exists))
                {
                    Directory.Delete(home, recursive: true);
                }
            }
        }

        [NetnsFact]
        public void NobodyWaiting_JoinSaysSoWithinTheTimeout()
        {
            using var lab = new NetnsLab();
            string b = NewHome();
            try
            {
                var joiner = lab.StartAether(NetnsLab.B, "pair", "--home", b, "--code", "123456", "--interface", NetnsLab.AddrB, "--timeout", "2");
                Assert.True(joiner.WaitForExit(s_step), joiner.Output);
                Assert.Equal(1, joiner.ExitCode);
                Assert.Contains("no device waiting to pair was found on the local network within 2 s", joiner.Output);
                Assert.DoesNotContain("   at ", joiner.Output);
            }
            finally
            {
                if (Directory.Exists(b))
                {
                    Directory.Delete(b, recursive: true);
                }
            }
        }
    }
}
