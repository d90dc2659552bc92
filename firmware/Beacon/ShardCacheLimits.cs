namespace AetherEdge.Firmware.Beacon
{
    /// <summary>Sizes of the SD-card shard cache and its journal.</summary>
    public static class ShardCacheLimits
    {
        /// <summary>Default number of cached shards (index entries held in RAM).</summary>
        public const int DefaultMaxEntries = 256;

        /// <summary>Journal file header: magic "AEJ1", generation, record size, CRC-32.</summary>
        public const int JournalHeaderBytes = 16;

        /// <summary>One journal record: type, content id (32), file number, length, data CRC, 3 zero bytes, record CRC.</summary>
        public const int RecordBytes = 52;

        /// <summary>Content id length (SHA-256).</summary>
        public const int ContentIdBytes = 32;

        /// <summary>The two journal files (double-buffered: compaction writes the other one).</summary>
        public const string JournalA = "j0";

        /// <summary>The second journal file.</summary>
        public const string JournalB = "j1";

        /// <summary>Prefix of shard data files ("d" + decimal file number).</summary>
        public const string DataPrefix = "d";
    }
}
