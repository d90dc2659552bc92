namespace AetherEdge.Core.Sync
{
    /// <summary>KeepAlive (protocol 2): no payload; proves the sender is alive while it has nothing else to say.</summary>
    public sealed class KeepAliveFrame : SyncFrame
    {
        /// <summary>Creates a KeepAlive.</summary>
        public KeepAliveFrame()
            : base(SyncFrameType.KeepAlive)
        {
        }

        /// <inheritdoc/>
        public override int PayloadLength
        {
            get { return 0; }
        }

        internal override void WritePayload(byte[] b, int o)
        {
        }
    }
}
