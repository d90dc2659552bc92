using System.Security.Cryptography;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Tests.Storage
{
    /// <summary>A real store in a fresh temp home, with a random user key; deleted on dispose.</summary>
    internal sealed class TempStore : IDisposable
    {
        public TempStore(long allocationBytes = 1L << 40)
        {
            Home = Path.Combine(Path.GetTempPath(), "aesy-store-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Home);
            AllocationBytes = allocationBytes;
            Keys = new UserKeys(RandomNumberGenerator.GetBytes(32));
            Store = ShardStore.Open(Home, allocationBytes);
            Pipeline = new ShardPipeline(Store, Keys);
        }

        public string Home { get; }

        public long AllocationBytes { get; }

        public UserKeys Keys { get; }

        public ShardStore Store { get; private set; }

        public ShardPipeline Pipeline { get; private set; }

        /// <summary>Closes and reopens the store (as a restarted process would).</summary>
        public ShardStore Reopen(bool verifyHashes = false, ShardStore.OpenReconcile reconcile = ShardStore.OpenReconcile.Full)
        {
            Store.Dispose();
            Store = ShardStore.Open(Home, AllocationBytes, verifyHashes, reconcile: reconcile);
            Pipeline = new ShardPipeline(Store, Keys);
            return Store;
        }

        public string NewFile(long size, int seed = 1)
        {
            string path = Path.Combine(Home, "in-" + Guid.NewGuid().ToString("N"));
            var rnd = new Random(seed);
            var buffer = new byte[Math.Min(size, 1 << 20)];
            using var fs = File.Create(path);
            for (long left = size; left > 0;)
            {
                rnd.NextBytes(buffer);
                int n = (int)Math.Min(left, buffer.Length);
                fs.Write(buffer, 0, n);
                left -= n;
            }

            return path;
        }

        public string OutPath() => Path.Combine(Home, "out-" + Guid.NewGuid().ToString("N"));

        /// <summary>Every regular file under HOME/shards (temp files included).</summary>
        public string[] FilesUnderShards() => Directory.GetFiles(Store.ShardsPath, "*", SearchOption.AllDirectories);

        public void Dispose()
        {
            Store.Dispose();
            if (Directory.Exists(Home))
            {
                Directory.Delete(Home, true);
            }
        }

        public static bool SameContent(string a, string b)
        {
            using var fa = File.OpenRead(a);
            using var fb = File.OpenRead(b);
            return fa.Length == fb.Length && SHA256.HashData(fa).AsSpan().SequenceEqual(SHA256.HashData(fb));
        }

        public static void FlipByte(string path, long position)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            fs.Position = position;
            int b = fs.ReadByte();
            fs.Position = position;
            fs.WriteByte((byte)(b ^ 0x5A));
        }
    }
}
