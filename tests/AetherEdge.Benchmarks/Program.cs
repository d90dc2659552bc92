using AetherEdge.Benchmarks.Shards;
using BenchmarkDotNet.Running;

namespace AetherEdge.Benchmarks
{
    public static class Program
    {
        /// <summary>
        /// BenchmarkDotNet suites (see README "Benchmarks"), plus two measuring tools that are not suites:
        /// <c>put-folder HOME DIR K M</c> (the library folder put, for tests/bench/aether-vs-syncthing.sh
        /// PUT_MODE=library until <c>aether put DIR</c> exists) and <c>stages big|small</c> (the README's
        /// stage → seconds per GiB table: put into one store, then sync to a second over TLS).
        /// </summary>
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "put-folder")
            {
                return StageTable.PutFolder(args);
            }

            if (args.Length > 0 && args[0] == "beacon-cache")
            {
                return Scale.BeaconCacheScale.Run(args);
            }

            if (args.Length > 0 && args[0] == "scale-join")
            {
                return Scale.JoinScale.Run(args);
            }

            if (args.Length > 0 && args[0] == "stages")
            {
                return StageTable.Run(args);
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}
