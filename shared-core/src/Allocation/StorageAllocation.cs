namespace AetherEdge.Core.Allocation
{
    using AetherEdge.Core.Devices;

    /// <summary>
    /// Quota rules per device kind. Desktop, laptop and mobile follow the seed exactly; hub and
    /// beacon are AetherEdge's own and are justified beside their constants.
    /// </summary>
    public static class StorageAllocation
    {
        /// <summary>One decimal megabyte, the unit the seed writes its sizes in.</summary>
        public const long Megabyte = 1000000L;

        /// <summary>One decimal gigabyte.</summary>
        public const long Gigabyte = 1000000000L;

        /// <summary>Seed: desktop default 1 GB.</summary>
        public const long DesktopDefaultBytes = 1 * Gigabyte;

        /// <summary>Seed: laptop default 500 MB.</summary>
        public const long LaptopDefaultBytes = 500 * Megabyte;

        /// <summary>Seed: mobile default 100 MB.</summary>
        public const long MobileDefaultBytes = 100 * Megabyte;

        /// <summary>Hub default 10 GB: a Pi with an SSD is the kit's primary store, like the seed's "10GB desktop".</summary>
        public const long HubDefaultBytes = 10 * Gigabyte;

        /// <summary>Beacon default 256 MB: an SD-card relay cache, not a store of record.</summary>
        public const long BeaconDefaultBytes = 256 * Megabyte;

        /// <summary>Seed: desktop and laptop minimum 100 MB.</summary>
        public const long DesktopMinBytes = 100 * Megabyte;

        /// <summary>Seed: laptop minimum 100 MB.</summary>
        public const long LaptopMinBytes = 100 * Megabyte;

        /// <summary>Seed: mobile minimum 50 MB.</summary>
        public const long MobileMinBytes = 50 * Megabyte;

        /// <summary>Hub minimum 1 GB: below that a hub cannot hold one default 15-shard stripe set of a modest file set.</summary>
        public const long HubMinBytes = 1 * Gigabyte;

        /// <summary>Beacon minimum 16 MB: room for a few in-flight shards while relaying.</summary>
        public const long BeaconMinBytes = 16 * Megabyte;

        /// <summary>Seed: desktop maximum is 1/10 of the disk ...</summary>
        public const int DesktopMaxShareDivisor = 10;

        /// <summary>... capped at 100 GB.</summary>
        public const long DesktopMaxCapBytes = 100 * Gigabyte;

        /// <summary>Seed: laptop maximum is 1/20 of the disk ...</summary>
        public const int LaptopMaxShareDivisor = 20;

        /// <summary>... capped at 50 GB.</summary>
        public const long LaptopMaxCapBytes = 50 * Gigabyte;

        /// <summary>Seed: mobile maximum is 1/50 of the storage ...</summary>
        public const int MobileMaxShareDivisor = 50;

        /// <summary>... capped at 10 GB.</summary>
        public const long MobileMaxCapBytes = 10 * Gigabyte;

        /// <summary>Hub maximum is 4/5 of its disk (it is dedicated; 20 % stays free for the OS, logs and SSD wear levelling) ...</summary>
        public const int HubMaxShareNumerator = 4;

        /// <summary>Denominator of the hub share.</summary>
        public const int HubMaxShareDenominator = 5;

        /// <summary>... capped at 16 TB, beyond any single drive a field kit carries.</summary>
        public const long HubMaxCapBytes = 16000 * Gigabyte;

        /// <summary>Beacon maximum is half the SD card (FAT wear and the firmware's own files need the rest) ...</summary>
        public const int BeaconMaxShareDivisor = 2;

        /// <summary>... capped at 4 GB, the FAT32 file-size limit the cache's backing file obeys.</summary>
        public const long BeaconMaxCapBytes = 4 * Gigabyte;

        /// <summary>Head-room multiplier over current use for the recommendation (25 %).</summary>
        public const int RecommendationHeadroomPercent = 125;

        /// <summary>Recommendations are rounded up to whole 100 MB steps.</summary>
        public const long RecommendationStepBytes = 100 * Megabyte;

        /// <summary>The seed's default allocation for a new device of this kind.</summary>
        public static long DefaultAllocationBytes(DeviceKind kind)
        {
            switch (kind)
            {
                case DeviceKind.Desktop: return DesktopDefaultBytes;
                case DeviceKind.Laptop: return LaptopDefaultBytes;
                case DeviceKind.Mobile: return MobileDefaultBytes;
                case DeviceKind.Hub: return HubDefaultBytes;
                default: return BeaconDefaultBytes;
            }
        }

        /// <summary>The smallest allocation worth joining the mesh with.</summary>
        public static long MinAllocationBytes(DeviceKind kind)
        {
            switch (kind)
            {
                case DeviceKind.Desktop: return DesktopMinBytes;
                case DeviceKind.Laptop: return LaptopMinBytes;
                case DeviceKind.Mobile: return MobileMinBytes;
                case DeviceKind.Hub: return HubMinBytes;
                default: return BeaconMinBytes;
            }
        }

        /// <summary>The largest allocation: a share of total capacity, capped (seed formula for the seed's kinds).</summary>
        public static long MaxAllocationBytes(DeviceKind kind, long totalCapacityBytes)
        {
            long total = totalCapacityBytes < 0 ? 0 : totalCapacityBytes;
            switch (kind)
            {
                case DeviceKind.Desktop: return Min(total / DesktopMaxShareDivisor, DesktopMaxCapBytes);
                case DeviceKind.Laptop: return Min(total / LaptopMaxShareDivisor, LaptopMaxCapBytes);
                case DeviceKind.Mobile: return Min(total / MobileMaxShareDivisor, MobileMaxCapBytes);
                case DeviceKind.Hub: return Min(total / HubMaxShareDenominator * HubMaxShareNumerator, HubMaxCapBytes);
                default: return Min(total / BeaconMaxShareDivisor, BeaconMaxCapBytes);
            }
        }

        /// <summary>
        /// Null when <paramref name="allocationBytes"/> is allowed on a device of this kind and size;
        /// otherwise a message naming the problem and the allowed range.
        /// </summary>
        public static string? ValidationError(DeviceKind kind, long allocationBytes, long totalCapacityBytes)
        {
            long min = MinAllocationBytes(kind);
            long max = MaxAllocationBytes(kind, totalCapacityBytes);
            string name = KindName(kind);
            if (allocationBytes < 0)
            {
                return "allocation must not be negative (got " + allocationBytes.ToString() + " bytes)";
            }

            if (max < min)
            {
                return "this " + name + " is too small to join: its maximum allocation is " + ByteCount.WithBytes(max)
                    + " of " + ByteCount.WithBytes(totalCapacityBytes) + " total, below the " + name + " minimum of "
                    + ByteCount.WithBytes(min);
            }

            if (allocationBytes < min)
            {
                return "allocation of " + ByteCount.WithBytes(allocationBytes) + " is below the " + name + " minimum of "
                    + ByteCount.WithBytes(min);
            }

            if (allocationBytes > max)
            {
                return "allocation of " + ByteCount.WithBytes(allocationBytes) + " exceeds the " + name + " maximum of "
                    + ByteCount.WithBytes(max) + " for " + ByteCount.WithBytes(totalCapacityBytes) + " of total capacity";
            }

            return null;
        }

        /// <summary>Quota left; never negative even when a lowered allocation is below current use.</summary>
        public static long AvailableBytes(long allocationBytes, long usedBytes)
        {
            long free = allocationBytes - usedBytes;
            return free < 0 ? 0 : free;
        }

        /// <summary>Used share of the allocation in percent; 0 for a zero allocation (the seed divides by zero there).</summary>
        public static double UtilizationPercent(long allocationBytes, long usedBytes)
        {
            if (allocationBytes <= 0)
            {
                return 0;
            }

            return usedBytes * 100.0 / allocationBytes;
        }

        /// <summary>
        /// Suggested allocation "based on your usage" (seed UI): the kind's default, or current use plus
        /// 25 % head-room rounded up to 100 MB if that is larger, kept inside [min, max].
        /// </summary>
        public static long RecommendedAllocationBytes(DeviceKind kind, long usedBytes, long totalCapacityBytes)
        {
            long wanted = DefaultAllocationBytes(kind);
            long grown = usedBytes / 100 * RecommendationHeadroomPercent;
            grown = (grown + RecommendationStepBytes - 1) / RecommendationStepBytes * RecommendationStepBytes;
            if (grown > wanted)
            {
                wanted = grown;
            }

            long max = MaxAllocationBytes(kind, totalCapacityBytes);
            long min = MinAllocationBytes(kind);
            if (wanted > max)
            {
                wanted = max;
            }

            return wanted < min ? min : wanted;
        }

        /// <summary>Lower-case kind name as used in JSON, TXT records and messages.</summary>
        public static string KindName(DeviceKind kind)
        {
            switch (kind)
            {
                case DeviceKind.Desktop: return "desktop";
                case DeviceKind.Laptop: return "laptop";
                case DeviceKind.Mobile: return "mobile";
                case DeviceKind.Hub: return "hub";
                default: return "beacon";
            }
        }

        /// <summary>Parses a kind name (case-insensitive); false for anything else.</summary>
        public static bool TryParseKind(string text, out DeviceKind kind)
        {
            string t = text == null ? string.Empty : text.ToLower();
            kind = DeviceKind.Desktop;
            switch (t)
            {
                case "desktop": kind = DeviceKind.Desktop; return true;
                case "laptop": kind = DeviceKind.Laptop; return true;
                case "mobile": kind = DeviceKind.Mobile; return true;
                case "hub": kind = DeviceKind.Hub; return true;
                case "beacon": kind = DeviceKind.Beacon; return true;
                default: return false;
            }
        }

        private static long Min(long a, long b)
        {
            return a < b ? a : b;
        }
    }
}
