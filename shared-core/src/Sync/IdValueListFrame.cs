namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// The payload Want and Removed share: a 16-bit count, then per entry an ASCII id (8-bit length)
    /// and a 64-bit big-endian value (a resume offset, a removal time). One writer for both; no
    /// generics, so the entries are reached through the subclass (nanoFramework's C# subset).
    /// </summary>
    public abstract class IdValueListFrame : SyncFrame
    {
        /// <summary>Creates a frame of <paramref name="type"/>.</summary>
        protected IdValueListFrame(SyncFrameType type)
            : base(type)
        {
        }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get
            {
                int n = 2;
                for (int i = 0; i < Count; i++)
                {
                    n += 1 + IdAt(i).Length + 8;
                }

                return n;
            }
        }

        /// <summary>How many entries.</summary>
        protected abstract int Count { get; }

        /// <summary>The id of entry <paramref name="i"/>.</summary>
        protected abstract string IdAt(int i);

        /// <summary>The value of entry <paramref name="i"/>.</summary>
        protected abstract long ValueAt(int i);

        internal override void WritePayload(byte[] b, int o)
        {
            WireFormat.WriteUInt16(b, o, Count);
            o += 2;
            for (int i = 0; i < Count; i++)
            {
                o = WireFormat.WriteAscii8(b, o, IdAt(i));
                WireFormat.WriteInt64(b, o, ValueAt(i));
                o += 8;
            }
        }
    }
}
