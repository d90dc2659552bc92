using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>`aether get` on a node without the file: pulls the manifest and only K shards from a running hub (loopback).</summary>
    public sealed class PeerFetchTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-fetch-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, true);
            }
        }

        private string Home(string name) => Path.Combine(_root, name);

        [Fact]
        public async Task Get_FileOnlyOnPeerHub_FetchesExactlyKShards_ReturnsSameBytes_AndNeverPutsThemInTheHomesStore()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("a"), "--kind", "desktop", "--allocation", "1GB").Code);
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("b"), "--kind", "laptop", "--allocation", "1GB").Code);
            await LoopbackKit.PairAsync(Home("a"), Home("b"));
            Directory.CreateDirectory(Home("in"));
            string input = Path.Combine(Home("in"), "field-notes.bin");
            var bytes = new byte[2_500_000];
            new Random(7).NextBytes(bytes);
            File.WriteAllBytes(input, bytes);
            var put = CliRunner.Run("put", input, "--home", Home("a"), "--json");
            Assert.True(put.Code == 0, put.Err);
            using var doc = JsonDocument.Parse(put.Out);
            string fileId = doc.RootElement.GetProperty("fileId").GetString()!;

            // A probe in B's index: any shard row ever inserted there is recorded, even if deleted afterwards. A hub
            // on B would advertise such a row, and peers would drop their planned copies of it.
            ShardStore.Open(Home("b"), 1_000_000_000).Dispose();

            ExecuteOn(Home("b"), "CREATE TABLE probe (id TEXT); CREATE TRIGGER probe_insert AFTER INSERT ON shards BEGIN INSERT INTO probe VALUES (NEW.id); END;");
            int port = LoopbackKit.FreePort();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var hub = Task.Run(() => AetherCommand.Run(
                new[] { "hub", "--home", Home("a"), "--port", port.ToString(), "--http-port", "0", "--interface", "127.0.0.1", "--no-mdns" },
                new CliContext(TextWriter.Null, TextWriter.Null, stop.Token)));
            try
            {
                string output = Path.Combine(Home("in"), "fetched.bin");
                (int Code, string Out, string Err) get = (-1, string.Empty, string.Empty);
                for (int i = 0; i < 40 && get.Code != 0; i++)
                {
                    get = CliRunner.Run("get", fileId, "--home", Home("b"), "-o", output, "--peers", "127.0.0.1:" + port, "--json");
                    if (get.Code != 0)
                    {
                        await Task.Delay(250);
                    }
                }

                Assert.True(get.Code == 0, get.Out + get.Err);
                Assert.Equal(bytes, File.ReadAllBytes(output));
                // 15 shards exist (10 data + 5 parity); any 10 rebuild the file, so the laptop pulled 10, not 15.
                using var answer = JsonDocument.Parse(get.Out);
                Assert.Equal(10, answer.RootElement.GetProperty("fetchedShards").GetInt32());
            }
            finally
            {
                stop.Cancel();
                Assert.Equal(0, await hub);
            }

            // Fetched for the read only: the laptop runs no hub, so no plan gives it any; it keeps the manifest.
            using var storeA = ShardStore.Open(Home("a"), 1_000_000_000);
            using var storeB = ShardStore.Open(Home("b"), 1_000_000_000);
            Assert.Equal(15, storeA.ShardCount);
            Assert.Equal(0, storeB.ShardCount);
            Assert.Equal(0L, ExecuteOn(Home("b"), "SELECT COUNT(*) FROM probe;"));
            Assert.NotNull(storeB.TryGetManifest(fileId));
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Home("b"), AetherEdge.HostNode.Sync.FetchScratch.Folder)));
        }

        [Fact]
        public void Scratch_LeftByAGetThatDied_IsDeletedByTheNextOne_ALiveOnesIsNot()
        {
            Assert.Equal(0, CliRunner.Run("init", "--home", Home("a"), "--kind", "desktop", "--allocation", "1GB").Code);
            string root = Path.Combine(Home("a"), AetherEdge.HostNode.Sync.FetchScratch.Folder);
            string dead = Path.Combine(root, int.MaxValue + ".deadbeef");
            string live = Path.Combine(root, Environment.ProcessId + ".cafef00d");
            Directory.CreateDirectory(dead);
            Directory.CreateDirectory(live);
            using var store = ShardStore.Open(Home("a"), 1_000_000_000);
            using (var scratch = AetherEdge.HostNode.Sync.FetchScratch.Create(Home("a"), store, new string('0', 32)))
            {
                Assert.True(Directory.Exists(scratch.Path));
                Assert.False(Directory.Exists(dead));
                Assert.True(Directory.Exists(live));
            }

            Assert.Equal(new[] { live }, Directory.GetDirectories(root));
        }

        private static long ExecuteOn(string home, string sql)
        {
            using var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(home, ShardStore.IndexFileName) + ";Pooling=False");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            return cmd.ExecuteScalar() is long n ? n : -1;
        }
    }
}
