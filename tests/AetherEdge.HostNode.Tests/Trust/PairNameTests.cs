using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Tests.Trust
{
    /// <summary>`aether pair` without --name: the other device records the name `aether init --name` gave this node.</summary>
    public sealed class PairNameTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-pairname-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(_root, true);

        [Fact]
        public async Task Pair_WithoutName_OtherDeviceRecordsTheInitName_NotTheHostName()
        {
            string a = Path.Combine(_root, "a");
            string b = Path.Combine(_root, "b");
            Assert.Equal(0, CliRunner.Run("init", "--home", a, "--kind", "hub", "--name", "field-hub", "--allocation", "1GB").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", b, "--kind", "laptop", "--name", "cleo-laptop", "--allocation", "1GB").Code);
            // PairAsync names the showing side "shower" and lets the joining side default.
            await LoopbackKit.PairAsync(a, b);
            Assert.Contains(new TrustCircle(a).Members, m => m.Name == "cleo-laptop");
        }
    }
}
