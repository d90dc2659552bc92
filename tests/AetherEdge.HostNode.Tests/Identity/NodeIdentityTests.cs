using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Tests.Identity
{
    public sealed class NodeIdentityTests : IDisposable
    {
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aesy-id-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_home))
            {
                Directory.Delete(_home, true);
            }
        }

        [Fact]
        public void LoadOrCreate_TwiceSameHome_SameIdAndPrivateKeyFiles()
        {
            DeviceId first;
            using (var a = NodeIdentity.LoadOrCreate(_home))
            {
                first = a.DeviceId;
                Assert.True(a.Certificate.HasPrivateKey);
            }

            using var b = NodeIdentity.LoadOrCreate(_home);
            Assert.Equal(first, b.DeviceId);
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(Path.Combine(_home, "identity", "key.pem"));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
            }

            Assert.Contains("PRIVATE KEY", File.ReadAllText(Path.Combine(_home, "identity", "key.pem")));
        }

        [Fact]
        public void LoadOrCreate_ManyAtOnceOnANewHome_OneIdentityEveryCallerLoads()
        {
            // A hub starting and `aether id` on the same new home once raced: one lost its temp file to the other's
            // rename ("Could not find file identity/cert.pem.tmp"), and a key could meet the other's certificate.
            var ids = new DeviceId[8];
            using var start = new Barrier(ids.Length);
            Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = ids.Length }, i =>
            {
                start.SignalAndWait();
                using var identity = NodeIdentity.LoadOrCreate(_home);
                ids[i] = identity.DeviceId;
            });

            Assert.Single(ids.Distinct());
        }

        [Fact]
        public void LoadOrCreate_TwoHomes_DifferentIds()
        {
            using var a = NodeIdentity.LoadOrCreate(Path.Combine(_home, "a"));
            using var b = NodeIdentity.LoadOrCreate(Path.Combine(_home, "b"));
            Assert.NotEqual(a.DeviceId, b.DeviceId);
            Assert.Equal(a.DeviceId, NodeIdentity.IdOf(a.Certificate));
        }

        [Fact]
        public void IdVerb_PrintsParsableIdStableAcrossRuns()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", _home, "--kind", "laptop", "--allocation", "100MB").Code);
            var (code, output, _) = CliRunner.Run("id", "--home", _home);
            Assert.Equal(0, code);
            Assert.True(DeviceId.TryParse(output.Trim(), out _, out _));
            Assert.Equal(output, CliRunner.Run("id", "--home", _home).Out);
        }
    }
}
