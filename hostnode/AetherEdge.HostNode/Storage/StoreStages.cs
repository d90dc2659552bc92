using AetherEdge.HostNode.Diagnostics;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// Where the shard store spends its time: hashing and writing shard bytes as they are put, fsyncing
    /// them, renaming them into place, the SQLite index transactions, and re-hashing on read (verify,
    /// which also runs before every served shard).
    /// </summary>
    public sealed class StoreStages : StageSet
    {
        public StoreStages()
            : this(new StageCounter("store.hash"), new StageCounter("store.write"), new StageCounter("store.fsync"),
                   new StageCounter("store.rename"), new StageCounter("store.index"), new StageCounter("store.verify"))
        {
        }

        private StoreStages(StageCounter hash, StageCounter write, StageCounter fsync, StageCounter rename, StageCounter index, StageCounter verify)
            : base(hash, write, fsync, rename, index, verify)
        {
            Hash = hash;
            Write = write;
            Fsync = fsync;
            Rename = rename;
            Index = index;
            Verify = verify;
        }

        /// <summary>The process-wide instance stores count into unless given their own.</summary>
        public static StoreStages Shared { get; } = new();

        public StageCounter Hash { get; }

        public StageCounter Write { get; }

        public StageCounter Fsync { get; }

        public StageCounter Rename { get; }

        /// <summary>Index transactions; bytes = rows written.</summary>
        public StageCounter Index { get; }

        public StageCounter Verify { get; }
    }
}
