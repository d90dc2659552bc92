using System.Security.Cryptography;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using BenchmarkDotNet.Attributes;

namespace AetherEdge.Benchmarks.Shards
{
    /// <summary>
    /// `aether put`/`get` work (encrypt + RS 10+5 + hash + fsync'd writes; verify + decrypt) on a 64 MiB
    /// file against File.Copy of the same file on the same disk. Each iteration starts from an empty store.
    /// </summary>
    [ShortRunJob]
    public class ShardThroughputBenchmarks
    {
        private const int FileBytes = 64 << 20;
        private readonly UserKeys _keys = new(RandomNumberGenerator.GetBytes(32));
        private string _dir = string.Empty;
        private string _input = string.Empty;
        private string _scratch = string.Empty;
        private string _fileId = string.Empty;
        private ShardStore? _readStore;
        private ShardStore? _writeStore;

        [GlobalSetup]
        public void Setup()
        {
            _dir = Path.Combine(Path.GetTempPath(), "aether-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            _input = Path.Combine(_dir, "input.bin");
            var data = new byte[FileBytes];
            new Random(7).NextBytes(data);
            File.WriteAllBytes(_input, data);
            string readHome = Path.Combine(_dir, "read");
            Directory.CreateDirectory(readHome);
            _readStore = ShardStore.Open(readHome, long.MaxValue);
            _fileId = new ShardPipeline(_readStore, _keys).Put(_input).FileId;
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _readStore?.Dispose();
            Directory.Delete(_dir, true);
        }

        [IterationSetup]
        public void IterationSetup()
        {
            _scratch = Path.Combine(_dir, "it-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_scratch);
            _writeStore = ShardStore.Open(_scratch, long.MaxValue);
        }

        [IterationCleanup]
        public void IterationCleanup()
        {
            _writeStore?.Dispose();
            Directory.Delete(_scratch, true);
        }

        [Benchmark(Baseline = true)]
        public void FileCopy64MiB() => File.Copy(_input, Path.Combine(_scratch, "copy.bin"));

        /// <summary>The fair baseline for put, which fsyncs every shard before it counts as stored.</summary>
        [Benchmark]
        public void FileCopyFsync64MiB()
        {
            using var source = new FileStream(_input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var target = new FileStream(Path.Combine(_scratch, "copy.bin"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            source.CopyTo(target, 1 << 20);
            target.Flush(true);
        }

        [Benchmark]
        public string Put64MiB() => new ShardPipeline(_writeStore!, _keys).Put(_input).FileId;

        [Benchmark]
        public long Get64MiB() => new ShardPipeline(_readStore!, _keys).Get(_fileId, Path.Combine(_scratch, "out.bin"));
    }
}
