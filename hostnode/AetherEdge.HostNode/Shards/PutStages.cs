using AetherEdge.HostNode.Diagnostics;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// Where a put's CPU time goes before the store takes over (hash, write, fsync and index are
    /// counted by <see cref="Storage.StoreStages"/>). Bytes: plaintext read and encrypted, stripe
    /// bytes (data + parity pieces) encoded.
    /// </summary>
    public sealed class PutStages : StageSet
    {
        public PutStages()
            : this(new StageCounter("put.read"), new StageCounter("put.encrypt"), new StageCounter("put.encode"))
        {
        }

        private PutStages(StageCounter read, StageCounter encrypt, StageCounter encode)
            : base(read, encrypt, encode)
        {
            Read = read;
            Encrypt = encrypt;
            Encode = encode;
        }

        /// <summary>The process-wide instance the CLI and the hub count into.</summary>
        public static PutStages Shared { get; } = new();

        public StageCounter Read { get; }

        public StageCounter Encrypt { get; }

        public StageCounter Encode { get; }

        /// <summary>Managed bytes allocated by the pipeline's own threads (its memory is a ring of stripes, not the file).</summary>
        public long AllocatedBytes => Interlocked.Read(ref _allocated);

        private long _allocated;

        internal void Allocated(long bytes) => Interlocked.Add(ref _allocated, bytes);
    }
}
