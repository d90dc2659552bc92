using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Storage;
using AetherEdge.TestSupport.Dashboard;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    /// <summary>
    /// The dashboard's files view at many files (issue 17): built once per change of what it reads, from the held
    /// index (no listing of every shard row), and reused by every poll and `aether ls` while nothing changed.
    /// </summary>
    public sealed class KitFilesViewTests : IDisposable
    {
        private readonly SimulatedKit _kit = new("files-view-hub");

        public KitFilesViewTests()
        {
            _kit.AddPeer("desk-a");
            _kit.PutFiles(new[] { "photos/cat.jpg", "notes/log.txt" });
            _kit.PlaceAsPlanned();
        }

        public void Dispose() => _kit.Dispose();

        private KitView View => _kit.Get<KitView>();

        [Fact]
        public void Snapshot_NothingChanged_ReusesTheFilesViewWithoutAStoreQuery()
        {
            View.Invalidate();
            var first = View.Snapshot();
            long built = View.FileViewsBuilt;
            long queries = _kit.Get<ShardStore>().Queries;

            View.Invalidate();
            var second = View.Snapshot();

            Assert.Equal(built, View.FileViewsBuilt);
            Assert.Equal(queries, _kit.Get<ShardStore>().Queries);
            Assert.Equal(2, second.Files.Length);
            Assert.Equal(first.Files, second.Files);
        }

        [Fact]
        public void Snapshot_AfterAPut_BuildsTheFilesViewAgain()
        {
            View.Invalidate();
            _ = View.Snapshot();
            long built = View.FileViewsBuilt;

            _kit.PutFiles(new[] { "photos/dog.jpg" });
            View.Invalidate();
            var after = View.Snapshot();

            Assert.Equal(built + 1, View.FileViewsBuilt);
            Assert.Contains("photos/dog.jpg", after.Files.Select(f => f.Name));
            Assert.All(after.Files.Where(f => f.Name != "photos/dog.jpg"), f => Assert.Equal(15, f.Available));
        }
    }
}
