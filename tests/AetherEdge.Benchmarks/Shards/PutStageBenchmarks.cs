using System.Security.Cryptography;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Erasure;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using BenchmarkDotNet.Attributes;

namespace AetherEdge.Benchmarks.Shards
{
    /// <summary>
    /// One stripe of a put at k=5 m=5 through each stage on its own (4 MiB plaintext segment, 10 pieces
    /// of ~0.8 MiB = 8 MiB of shard bytes): read, encrypt, encode, hash, write, fsync, index, verify.
    /// Seconds per GiB of plaintext = mean × 256. Compare with the counters of a whole put
    /// (`dotnet tests/AetherEdge.Benchmarks/bin/Release/net10.0/AetherEdge.Benchmarks.dll stages big`).
    /// </summary>
    [ShortRunJob]
    [MemoryDiagnoser]
    public class PutStageBenchmarks
    {
        private const int K = 5;
        private const int M = 5;
        private const int Segment = ShardLimits.DefaultSegmentBytes;
        private readonly byte[] _fileId = RandomNumberGenerator.GetBytes(ShardLimits.FileIdBytes);
        private readonly ReedSolomon _rs = new(K, M, VectorGaloisKernel.Instance);
        private AesGcm? _aes;
        private byte[] _stripe = Array.Empty<byte>();
        private int _piece;
        private string _dir = string.Empty;
        private string _input = string.Empty;
        private Microsoft.Win32.SafeHandles.SafeFileHandle? _inputHandle;
        private ShardStore? _store;
        private string _shardId = string.Empty;
        private int _manifests;

        [GlobalSetup]
        public void Setup()
        {
            _dir = Path.Combine(Path.GetTempPath(), "aesy-stagebench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            _piece = (Segment + ShardLimits.TagBytes + K - 1) / K;
            _stripe = new byte[(K + M) * _piece];
            new Random(3).NextBytes(_stripe);
            _aes = new AesGcm(RandomNumberGenerator.GetBytes(32), ShardLimits.TagBytes);
            _input = Path.Combine(_dir, "input.bin");
            File.WriteAllBytes(_input, _stripe.AsSpan(0, Segment).ToArray());
            _inputHandle = File.OpenHandle(_input);
            _store = ShardStore.Open(Path.Combine(_dir, "home"), long.MaxValue / 4);
            byte[] piece = _stripe.AsSpan(0, _piece).ToArray();
            _shardId = ShardId.Of(piece);
            _store.PutShard(_shardId, new MemoryStream(piece));
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _inputHandle?.Dispose();
            _aes?.Dispose();
            _store?.Dispose();
            Directory.Delete(_dir, true);
        }

        [Benchmark(Description = "read: 4 MiB segment from a cached file")]
        public int Read() => RandomAccess.Read(_inputHandle!, _stripe.AsSpan(0, Segment), 0);

        [Benchmark(Description = "encrypt: AES-256-GCM, 4 MiB")]
        public void Encrypt() => SegmentCrypto.EncryptSegment(_aes!, _fileId, 1, false, _stripe, Segment);

        [Benchmark(Description = "encode: Reed-Solomon 5+5, 4 MiB")]
        public void Encode() => _rs.Encode(_stripe, 0, _piece);

        [Benchmark(Description = "hash: SHA-256 of 10 pieces (8 MiB)")]
        public byte[] Hash()
        {
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            h.AppendData(_stripe);
            return h.GetHashAndReset();
        }

        [Benchmark(Description = "write: 10 pieces (8 MiB) to a new file, page cache")]
        public void Write()
        {
            string path = Path.Combine(_dir, "w.part");
            using (var fs = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0 }))
            {
                for (int i = 0; i < K + M; i++)
                {
                    fs.Write(_stripe, i * _piece, _piece);
                }
            }

            File.Delete(path);
        }

        [Benchmark(Description = "write + fsync: 8 MiB")]
        public void WriteFsync()
        {
            string path = Path.Combine(_dir, "f.part");
            using (var fs = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0 }))
            {
                fs.Write(_stripe);
                fs.Flush(true);
            }

            File.Delete(path);
        }

        [Benchmark(Description = "index: one SQLite transaction (a manifest row, WAL, synchronous=FULL)")]
        public void Index() => _store!.PutManifest((_manifests++).ToString("x32"), _fileId);

        [Benchmark(Description = "verify: re-hash a held 0.8 MiB shard before serving it")]
        public void Verify() => _store!.TryOpenShard(_shardId)!.Dispose();
    }
}
