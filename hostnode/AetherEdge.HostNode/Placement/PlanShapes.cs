using AetherEdge.Core.Devices;

namespace AetherEdge.HostNode.Placement
{
    /// <summary>
    /// Plans by shape. A file's plan is a pure function of the devices as planned, its shard count, shard size and data
    /// shards, and which devices hold each shard index; in a kit of many files most share one of a few such shapes
    /// (every file of a settled two-hub kit has the same one). Remembering the plan per shape lets a device joining a
    /// kit of 100,000 files run the planner a few times instead of 100,000 times (issue 17); the plan it hands out is
    /// the one the planner would make, so every node still agrees. Forgotten whenever the devices change; bounded.
    /// Thread-safe.
    /// </summary>
    internal sealed class PlanShapes
    {
        /// <summary>Shapes kept at most; past it the memory starts over (an outsider cannot grow it: shapes come from our manifests).</summary>
        public const int Capacity = 4096;

        /// <summary>Holder sets fit one character per shard up to this many devices; beyond it every file is planned afresh.</summary>
        public const int MaxDevices = 16;

        private readonly object _gate = new();
        private readonly Dictionary<string, string?[]> _plans = new(StringComparer.Ordinal);
        private string _devices = string.Empty;
        private long _planned;

        /// <summary>How often the planner ran (shapes not known yet): what the memory saves shows against files planned.</summary>
        public long Planned => Interlocked.Read(ref _planned);

        /// <summary>
        /// The plan for one file: <paramref name="held"/>[s, d] is true when device d holds shard s. Devices are
        /// <paramref name="devicesKey"/> (the same string means the same devices as planned).
        /// </summary>
        public string?[] Plan(string devicesKey, DeviceProfile[] devices, long shardBytes, int dataShards, bool[,] held)
        {
            string? key = devices.Length <= MaxDevices ? Key(shardBytes, dataShards, held) : null;
            if (key != null)
            {
                lock (_gate)
                {
                    if (!string.Equals(devicesKey, _devices, StringComparison.Ordinal))
                    {
                        _plans.Clear();
                        _devices = devicesKey;
                    }
                    else if (_plans.TryGetValue(key, out var known))
                    {
                        return known;
                    }
                }
            }

            Interlocked.Increment(ref _planned);
            var holders = new int[held.GetLength(0)][];
            for (int s = 0; s < holders.Length; s++)
            {
                holders[s] = Holders(held, s);
            }

            // Callers only read the array, so one instance serves every file of the shape.
            var plan = HolderAwarePlacement.Plan(devices, shardBytes, dataShards, holders).HolderIds();
            if (key != null)
            {
                lock (_gate)
                {
                    if (string.Equals(devicesKey, _devices, StringComparison.Ordinal))
                    {
                        if (_plans.Count >= Capacity)
                        {
                            _plans.Clear();
                        }

                        _plans[key] = plan;
                    }
                }
            }

            return plan;
        }

        // Size, data shards and one character of holder bits per shard index.
        private static string Key(long shardBytes, int dataShards, bool[,] held)
        {
            int n = held.GetLength(0);
            var chars = new char[5 + n];
            chars[0] = (char)(shardBytes & 0xFFFF);
            chars[1] = (char)((shardBytes >> 16) & 0xFFFF);
            chars[2] = (char)((shardBytes >> 32) & 0xFFFF);
            chars[3] = (char)((shardBytes >> 48) & 0xFFFF);
            chars[4] = (char)dataShards;
            for (int s = 0; s < n; s++)
            {
                int bits = 0;
                for (int d = 0; d < held.GetLength(1); d++)
                {
                    bits |= held[s, d] ? 1 << d : 0;
                }

                chars[5 + s] = (char)bits;
            }

            return new string(chars);
        }

        private static int[] Holders(bool[,] held, int s)
        {
            var list = new List<int>();
            for (int d = 0; d < held.GetLength(1); d++)
            {
                if (held[s, d])
                {
                    list.Add(d);
                }
            }

            return list.ToArray();
        }
    }
}
