namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        /// <summary>
        /// Opens a held shard for serving to a peer without re-hashing it: the receiver hashes every shard
        /// against its id anyway (one hash per side), and answers BadHash when the bytes are wrong, which
        /// makes this side verify it (<see cref="TryOpenShard"/>: quarantined when corrupt). The length is
        /// still checked against the index (free); a mismatch is handled as <see cref="TryOpenShard"/> does.
        /// </summary>
        public Stream? OpenShardToServe(string id)
        {
            var row = Find(id);
            if (row == null)
            {
                return null;
            }

            FileStream stream;
            try
            {
                stream = new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return TryOpenShard(id);
            }

            if (stream.Length != row.Size)
            {
                stream.Dispose();
                return TryOpenShard(id);
            }

            return stream;
        }
    }
}
