namespace AetherEdge.Core.Allocation
{
    using System;
    using AetherEdge.Core.Devices;

    /// <summary>
    /// Decides which device holds each of a file's N shards. Steps:
    /// 1. score devices (<see cref="NodeScorer"/>) and cap each at the shards its free quota holds;
    /// 2. cap every device at (N - k) / f shards for the largest f up to the target that still fits,
    ///    so losing any f devices leaves k shards;
    /// 3. share the N shards by score with largest-remainder apportionment under those caps;
    /// 4. keep every shard whose current holder may keep it (a device over its new count sheds the
    ///    shards it ranks lowest by weighted rendezvous draw), then deal the homeless shards to devices
    ///    below their count, interleaved by count.
    /// Given the current holders, step 4 moves exactly the minimum number of shards. Deterministic:
    /// the same input gives the same plan on every node and platform.
    /// </summary>
    public static class PlacementPlanner
    {
        /// <summary>Most shards one plan may hold (16 M; a file has at most 255, the benchmark uses 1 M).</summary>
        public const int MaxShards = 1 << 24;

        /// <summary>Most devices one plan may span.</summary>
        public const int MaxDevices = 4096;

        /// <summary>Device losses a plan aims to survive unless told otherwise ("losing a device loses no file").</summary>
        public const int DefaultTargetTolerance = 1;

        /// <summary>Plans without knowledge of current holders (a fresh file).</summary>
        public static PlacementPlan Plan(DeviceProfile[] devices, int shardCount, long shardSizeBytes, int dataShards)
        {
            return Plan(devices, shardCount, shardSizeBytes, dataShards, DefaultTargetTolerance, null);
        }

        /// <summary>
        /// Plans <paramref name="shardCount"/> shards of <paramref name="shardSizeBytes"/> bytes, any
        /// <paramref name="dataShards"/> of which rebuild the file. <paramref name="currentHolders"/>
        /// (device id per shard index, null = not held) makes the plan move as few shards as possible.
        /// Throws <see cref="ArgumentException"/> naming the bad argument.
        /// </summary>
        public static PlacementPlan Plan(
            DeviceProfile[] devices,
            int shardCount,
            long shardSizeBytes,
            int dataShards,
            int targetTolerance,
            string?[]? currentHolders)
        {
            Validate(devices, shardCount, shardSizeBytes, dataShards, targetTolerance, currentHolders);
            int d = devices.Length;
            string[] ids = new string[d];
            double[] scores = new double[d];
            int[] capacityCaps = new int[d];
            long totalCapacity = 0;
            for (int i = 0; i < d; i++)
            {
                ids[i] = devices[i].Id;
                scores[i] = NodeScorer.Score(devices[i]).Total;
                long fit = devices[i].AvailableBytes / shardSizeBytes;
                capacityCaps[i] = fit > shardCount ? shardCount : (int)fit;
                if (scores[i] > 0)
                {
                    totalCapacity += capacityCaps[i];
                }
            }

            int[] caps = ToleranceCaps(capacityCaps, scores, shardCount, dataShards, targetTolerance);
            int[] counts = Apportionment.Apportion(scores, caps, shardCount);
            int[] holders = Assign(devices, counts, shardCount, currentHolders);

            int unplacedCount = 0;
            for (int s = 0; s < shardCount; s++)
            {
                if (holders[s] == PlacementPlan.Unplaced)
                {
                    unplacedCount++;
                }
            }

            int[] unplaced = new int[unplacedCount];
            string[] reasons = new string[unplacedCount];
            string reason = UnplacedReason(totalCapacity, shardCount, shardSizeBytes);
            int u = 0;
            for (int s = 0; s < shardCount; s++)
            {
                if (holders[s] == PlacementPlan.Unplaced)
                {
                    unplaced[u] = s;
                    reasons[u] = reason;
                    u++;
                }
            }

            return new PlacementPlan(ids, scores, holders, dataShards, targetTolerance, unplaced, reasons);
        }

        /// <summary>
        /// Weighted rendezvous draw of a shard on a device (straw2: ln(u) / weight, higher is
        /// preferred). Used to choose which shards a shrinking device keeps.
        /// </summary>
        public static double Draw(ulong deviceHash, int shard, double weight)
        {
            return Math.Log(StableHash.Unit(StableHash.Pair(deviceHash, shard))) / weight;
        }

        private static int[] ToleranceCaps(int[] capacityCaps, double[] scores, int shardCount, int dataShards, int target)
        {
            int d = capacityCaps.Length;
            int[] caps = new int[d];
            for (int f = target; f >= 1; f--)
            {
                int perDevice = (shardCount - dataShards) / f;
                if (perDevice == 0)
                {
                    continue;
                }

                long room = 0;
                for (int i = 0; i < d; i++)
                {
                    caps[i] = capacityCaps[i] < perDevice ? capacityCaps[i] : perDevice;
                    if (scores[i] > 0)
                    {
                        room += caps[i];
                    }
                }

                if (room >= shardCount)
                {
                    return caps;
                }
            }

            // Not feasible for any f >= 1: place by score within quotas only and report f honestly.
            for (int i = 0; i < d; i++)
            {
                caps[i] = capacityCaps[i];
            }

            return caps;
        }

        private static int[] Assign(DeviceProfile[] devices, int[] counts, int shardCount, string?[]? current)
        {
            int d = devices.Length;
            int[] holders = new int[shardCount];
            int[] held = new int[d];
            System.Collections.Hashtable indexById = new System.Collections.Hashtable();
            for (int i = 0; i < d; i++)
            {
                indexById[devices[i].Id] = i;
            }

            for (int s = 0; s < shardCount; s++)
            {
                holders[s] = PlacementPlan.Unplaced;
                string? id = current == null ? null : current[s];
                object? index = id == null ? null : indexById[id];
                if (index != null)
                {
                    holders[s] = (int)index;
                    held[holders[s]]++;
                }
            }

            Shed(devices, counts, held, holders);
            Fill(counts, held, holders);
            return holders;
        }

        /// <summary>Devices holding more than their new count give up the shards they draw lowest.</summary>
        private static void Shed(DeviceProfile[] devices, int[] counts, int[] held, int[] holders)
        {
            int d = devices.Length;
            int[] start = new int[d + 1];
            int over = 0;
            for (int i = 0; i < d; i++)
            {
                int size = held[i] > counts[i] ? held[i] : 0;
                start[i + 1] = start[i] + size;
                over += size;
            }

            if (over == 0)
            {
                return;
            }

            // Bucket the shards of over-full devices in one pass, then rank each bucket by draw.
            int[] shards = new int[over];
            int[] fill = new int[d];
            for (int s = 0; s < holders.Length; s++)
            {
                int h = holders[s];
                if (h != PlacementPlan.Unplaced && held[h] > counts[h])
                {
                    shards[start[h] + fill[h]] = s;
                    fill[h]++;
                }
            }

            for (int i = 0; i < d; i++)
            {
                int size = start[i + 1] - start[i];
                if (size == 0)
                {
                    continue;
                }

                double weight = NodeScorer.Score(devices[i]).Total;
                ulong deviceHash = StableHash.Of(devices[i].Id);
                double[] bucketKeys = new double[size];
                int[] bucket = new int[size];
                for (int j = 0; j < size; j++)
                {
                    bucket[j] = shards[start[i] + j];
                    bucketKeys[j] = Draw(deviceHash, bucket[j], weight > 0 ? weight : 1);
                }

                IndexSort.Ascending(bucketKeys, bucket, size);
                int excess = held[i] - counts[i];
                for (int j = 0; j < excess; j++)
                {
                    holders[bucket[j]] = PlacementPlan.Unplaced;
                }

                held[i] = counts[i];
            }
        }

        private static void Fill(int[] counts, int[] held, int[] holders)
        {
            int d = counts.Length;
            int slots = 0;
            for (int i = 0; i < d; i++)
            {
                slots += counts[i] - held[i];
            }

            if (slots == 0)
            {
                return;
            }

            // Slot j of a device short by m sits at (j + 0.5) / m: dealing slots in that order
            // interleaves devices in proportion to what each still needs.
            double[] keys = new double[slots];
            int[] owners = new int[slots];
            int k = 0;
            for (int i = 0; i < d; i++)
            {
                int missing = counts[i] - held[i];
                for (int j = 0; j < missing; j++)
                {
                    keys[k] = (j + 0.5) / missing;
                    owners[k] = i;
                    k++;
                }
            }

            IndexSort.Ascending(keys, owners, slots);
            int next = 0;
            for (int s = 0; s < holders.Length && next < slots; s++)
            {
                if (holders[s] == PlacementPlan.Unplaced)
                {
                    holders[s] = owners[next++];
                }
            }
        }

        private static string UnplacedReason(long totalCapacity, int shardCount, long shardSizeBytes)
        {
            if (totalCapacity == 0)
            {
                return "no device can take shards: every device has a zero score or no quota left for a "
                    + shardSizeBytes.ToString() + "-byte shard";
            }

            return "insufficient capacity: the devices' free quotas hold only " + totalCapacity.ToString()
                + " of " + shardCount.ToString() + " shards of " + shardSizeBytes.ToString() + " bytes";
        }

        private static void Validate(
            DeviceProfile[] devices,
            int shardCount,
            long shardSizeBytes,
            int dataShards,
            int targetTolerance,
            string?[]? currentHolders)
        {
            if (devices == null || devices.Length == 0)
            {
                throw new ArgumentException("at least one device is needed");
            }

            if (devices.Length > MaxDevices)
            {
                throw new ArgumentException("too many devices: " + devices.Length.ToString() + " (max " + MaxDevices.ToString() + ")");
            }

            if (shardCount < 1 || shardCount > MaxShards)
            {
                throw new ArgumentException("shard count must be 1.." + MaxShards.ToString() + ", got " + shardCount.ToString());
            }

            if (shardSizeBytes < 1)
            {
                throw new ArgumentException("shard size must be at least 1 byte, got " + shardSizeBytes.ToString());
            }

            if (dataShards < 1 || dataShards > shardCount)
            {
                throw new ArgumentException("data shards (k) must be 1.." + shardCount.ToString() + ", got " + dataShards.ToString());
            }

            if (targetTolerance < 0)
            {
                throw new ArgumentException("target device-loss tolerance must not be negative");
            }

            if (currentHolders != null && currentHolders.Length != shardCount)
            {
                throw new ArgumentException("current holders list has " + currentHolders.Length.ToString()
                    + " entries for " + shardCount.ToString() + " shards");
            }

            for (int i = 0; i < devices.Length; i++)
            {
                DeviceProfile p = devices[i];
                if (p == null || p.Id == null || p.Id.Length == 0)
                {
                    throw new ArgumentException("device " + i.ToString() + " has no id");
                }

                if (p.AllocationBytes < 0 || p.UsedBytes < 0)
                {
                    throw new ArgumentException("device '" + p.Id + "' has a negative size");
                }

                for (int j = 0; j < i; j++)
                {
                    if (devices[j].Id == p.Id)
                    {
                        throw new ArgumentException("device id '" + p.Id + "' appears twice");
                    }
                }
            }
        }
    }
}
