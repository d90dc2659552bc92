using System.Diagnostics;
using System.Globalization;
using AetherEdge.Firmware.Beacon;
using AetherEdge.Simulation;

namespace AetherEdge.Benchmarks.Scale
{
    /// <summary>
    /// <c>beacon-cache [N ...]</c>: the beacon's shard cache (the firmware's own <see cref="ShardCache"/>, host
    /// build) on a simulated SD card holding N cached shards: journal size, the time a reboot's mount (journal
    /// replay, orphan sweep) takes on this host (best of three, after a warm-up mount so the JIT is not timed),
    /// and the bytes one mount allocates. The index itself is fixed arrays sized at construction
    /// (<see cref="ShardIndex"/>): 32 B id + 24 B array header + 25 B of fields and links per slot, and two hash
    /// tables of 4 B per bucket (the next power of two at or above twice the slots).
    /// The ESP32 runs the same code tens of times slower; the curve's shape is what carries over.
    /// </summary>
    public static class BeaconCacheScale
    {
        public static int Run(string[] args)
        {
            var sizes = args.Length > 1 ? args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 64, 256, 1024, 4096 };
            Console.WriteLine("| cached shards | journal bytes | mount (replay) ms | index bytes (fixed) | bytes allocated by mount |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            foreach (int n in sizes)
            {
                var card = new SimulatedSdCard();
                var first = new ShardCache(card, long.MaxValue / 4, n);
                first.Mount();
                var data = new byte[64];
                for (int i = 0; i < n; i++)
                {
                    var id = new byte[32];
                    BitConverter.TryWriteBytes(id, i);
                    id[31] = 0xAE;
                    data[0] = (byte)i;
                    first.TryPut(id, 0, data, 0, data.Length);
                }

                long journal = card.List().Where(f => f.StartsWith('j')).Sum(card.Length);
                var cache = new ShardCache(card, long.MaxValue / 4, n);
                long buckets = 2;
                while (buckets < 2L * n)
                {
                    buckets *= 2;
                }

                long held = (n * (32L + 24 + 25)) + (2 * 4 * buckets);
                new ShardCache(card, long.MaxValue / 4, n).Mount(); // warm-up: JIT and the card's first reads
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                cache.Mount();
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                double ms = double.MaxValue;
                for (int run = 0; run < 3; run++)
                {
                    var watch = Stopwatch.StartNew();
                    cache.Mount();
                    ms = Math.Min(ms, watch.Elapsed.TotalMilliseconds);
                }
                if (cache.Count != n)
                {
                    Console.Error.WriteLine("mount found " + cache.Count + " of " + n + " shards");
                    return 1;
                }

                Console.WriteLine("| " + n + " | " + journal + " | " + ms.ToString("F2", CultureInfo.InvariantCulture) + " | " + held + " | " + allocated + " |");
                GC.KeepAlive(cache);
                GC.KeepAlive(first);
            }

            return 0;
        }
    }
}
