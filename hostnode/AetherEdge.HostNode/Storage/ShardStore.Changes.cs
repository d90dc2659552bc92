namespace AetherEdge.HostNode.Storage
{
    public sealed partial class ShardStore
    {
        /// <summary>
        /// SQLite's <c>data_version</c> on this store's connection: it changes when another connection commits
        /// (another process on the same home: <c>aether put</c>, <c>aether rm</c>, <c>repair-index</c>) and not for
        /// this connection's own commits. The running hub polls it to learn of local changes (no file to watch,
        /// no cooperation needed from the writers, one cheap query).
        /// </summary>
        public long ExternalChangeVersion() => Scalar("PRAGMA data_version;");
    }
}
