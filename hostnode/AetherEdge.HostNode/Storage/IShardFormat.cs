namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// What the store must read of the shard and manifest formats to rebuild a lost index from the
    /// files on disk (the formats belong to Shards/; <c>Shards.ShardFormat</c> implements this).
    /// Neither method needs the user key: a hub stores both opaquely.
    /// </summary>
    public interface IShardFormat
    {
        /// <summary>Bytes at the start of every shard that name its file and index.</summary>
        int HeaderBytes { get; }

        /// <summary>Reads a shard header; false when the bytes are not one.</summary>
        bool TryReadHeader(ReadOnlySpan<byte> header, out string fileId, out int index);

        /// <summary>True when <paramref name="body"/> is structurally the manifest of <paramref name="fileId"/> (its HMAC is not checked).</summary>
        bool IsManifestOf(string fileId, byte[] body);

        /// <summary>The shard ids a manifest lists (its HMAC is not checked), or null when it lists none or is not one.</summary>
        string[]? ShardIdsOf(byte[] body);
    }
}
