namespace AetherEdge.HostNode.Storage
{
    /// <summary>One index row: a complete shard on disk.</summary>
    public sealed class StoredShard
    {
        public StoredShard(string id, long size, string? fileId, int? index, DateTimeOffset storedUtc, DateTimeOffset? lastVerifiedUtc)
        {
            Id = id;
            Size = size;
            FileId = fileId;
            Index = index;
            StoredUtc = storedUtc;
            LastVerifiedUtc = lastVerifiedUtc;
        }

        public string Id { get; }

        public long Size { get; }

        /// <summary>The file it belongs to, when known (null for a shard received without its manifest).</summary>
        public string? FileId { get; }

        /// <summary>Its index 0..n-1 in that file's shard set, when known.</summary>
        public int? Index { get; }

        public DateTimeOffset StoredUtc { get; }

        public DateTimeOffset? LastVerifiedUtc { get; }
    }

    /// <summary>What one reconciliation found and did.</summary>
    public sealed class ReconcileReport
    {
        public int TempFilesDeleted { get; internal set; }

        public int RowsWithoutFilesRemoved { get; internal set; }

        public int OrphanFilesQuarantined { get; internal set; }

        public int CorruptFilesQuarantined { get; internal set; }

        public int ShardsVerified { get; internal set; }

        /// <summary>Manifest files (HOME/manifests) written for indexed manifests that lacked one.</summary>
        public int ManifestFilesWritten { get; internal set; }

        /// <summary>Tombstone rows written back from HOME/removed (a crash between the two, a rebuilt index).</summary>
        public int TombstonesRestored { get; internal set; }

        /// <summary>True when another process was writing, so nothing was reconciled this time.</summary>
        public bool SkippedBusy { get; internal set; }

        public bool Clean => TempFilesDeleted + RowsWithoutFilesRemoved + OrphanFilesQuarantined + CorruptFilesQuarantined == 0;

        public override string ToString() =>
            "temp files deleted " + TempFilesDeleted + ", rows without files removed " + RowsWithoutFilesRemoved +
            ", orphan files quarantined " + OrphanFilesQuarantined + ", corrupt files quarantined " + CorruptFilesQuarantined +
            ", shards hash-verified " + ShardsVerified + (SkippedBusy ? " (skipped: another process is writing)" : string.Empty);
    }
}
