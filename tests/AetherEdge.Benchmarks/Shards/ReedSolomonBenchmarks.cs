using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Erasure;
using BenchmarkDotNet.Attributes;

namespace AetherEdge.Benchmarks.Shards
{
    /// <summary>
    /// Reed-Solomon k=10, n=15 over one 4 MiB stripe (the pipeline's default segment). Throughput in
    /// MiB/s = 4 / mean seconds. Decode rebuilds the worst case: five data pieces lost.
    /// </summary>
    [ShortRunJob]
    [MemoryDiagnoser]
    public class ReedSolomonBenchmarks
    {
        private const int K = 10;
        private const int M = 5;
        private const int DataBytes = 4 << 20;
        private ReedSolomon _rs = new(K, M);
        private readonly bool[] _present = { false, true, false, true, false, true, false, true, false, true, true, true, true, true, true };
        private byte[] _stripe = Array.Empty<byte>();
        private int _piece;

        /// <summary>"table": portable shared-core kernel (what the ESP32 runs); "vector": the hub's SIMD kernel.</summary>
        [Params("table", "vector")]
        public string Kernel { get; set; } = "table";

        [GlobalSetup]
        public void Setup()
        {
            _rs = Kernel == "vector" ? new ReedSolomon(K, M, VectorGaloisKernel.Instance) : new ReedSolomon(K, M);
            _piece = DataBytes / K + 1;
            _stripe = new byte[(K + M) * _piece];
            new Random(1).NextBytes(_stripe);
            _rs.Encode(_stripe, 0, _piece);
        }

        [Benchmark]
        public void Encode4MiB() => _rs.Encode(_stripe, 0, _piece);

        [Benchmark]
        public void DecodeFiveDataLost4MiB() => _rs.Reconstruct(_stripe, 0, _piece, _present, rebuildParity: false);
    }
}
