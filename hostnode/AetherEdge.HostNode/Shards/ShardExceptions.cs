namespace AetherEdge.HostNode.Shards
{
    /// <summary>A file cannot be read back: tampered manifest, too few intact shards, failed authentication.</summary>
    public class ShardException : IOException
    {
        public ShardException(string message)
            : base(message)
        {
        }
    }

    /// <summary>Fewer than k intact shards are held; the message names present and needed counts.</summary>
    public sealed class InsufficientShardsException : ShardException
    {
        public InsufficientShardsException(string fileId, int present, int total, int needed)
            : base("file " + fileId + " cannot be rebuilt: only " + present + " of " + total + " shards present and intact; " + needed + " needed")
        {
            Present = present;
            Needed = needed;
        }

        public int Present { get; }

        public int Needed { get; }
    }

    /// <summary>No manifest for this file id is held.</summary>
    public sealed class UnknownFileException : ShardException
    {
        public UnknownFileException(string fileId)
            : base("unknown file id " + fileId + " (no manifest in this store)")
        {
        }
    }
}
