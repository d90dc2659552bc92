using AetherEdge.HostNode.Diagnostics;

namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// Where sync spends its time: frames written to and read from the TLS stream (TLS work and the
    /// socket, including waits for the peer: a wall-clock figure), received chunks appended to
    /// partials, and their SHA-256 on the hash worker. Verification of served shards and the fsync
    /// and index of received ones are counted by <see cref="Storage.StoreStages"/>.
    /// </summary>
    public sealed class SyncStages : StageSet
    {
        public SyncStages()
            : this(new StageCounter("sync.send"), new StageCounter("sync.receive"), new StageCounter("sync.write"), new StageCounter("sync.hash"))
        {
        }

        private SyncStages(StageCounter send, StageCounter receive, StageCounter write, StageCounter hash)
            : base(send, receive, write, hash)
        {
            Send = send;
            Receive = receive;
            Write = write;
            Hash = hash;
        }

        /// <summary>The process-wide instance connections count into.</summary>
        public static SyncStages Shared { get; } = new();

        public StageCounter Send { get; }

        /// <summary>Frame bodies read (after their header arrived): TLS decryption plus waiting for the rest of the frame.</summary>
        public StageCounter Receive { get; }

        public StageCounter Write { get; }

        public StageCounter Hash { get; }
    }
}
