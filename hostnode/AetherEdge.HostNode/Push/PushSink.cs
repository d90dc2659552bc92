using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Push
{
    /// <summary>
    /// One shard of a put streamed to its holder over a <see cref="PushLink"/>: ShardChunk frames under a
    /// provisional id as the lane writes, then Pushed with the content id the set computed; durable once the
    /// holder's Ack says so.
    /// </summary>
    public sealed class PushSink : IShardSink
    {
        private readonly PushLink _link;
        private readonly string _provisional;
        private readonly long _total;
        private long _position;
        private Task<AckStatus>? _ack;

        public PushSink(PushLink link, string provisionalId, long totalBytes)
        {
            _link = link;
            _provisional = provisionalId;
            _total = totalBytes;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int n = Math.Min(count, PushProtocol.ChunkBytes);
                _link.Send(new ShardChunkFrame(_provisional, _position, _total, buffer, offset, n));
                _position += n;
                offset += n;
                count -= n;
            }
        }

        public void Finish(string id)
        {
            if (_position != _total)
            {
                throw new InvalidOperationException("pushed shard " + _provisional + " has " + _position + " of " + _total + " bytes");
            }

            _ack = _link.Expect(_provisional);
            _link.Send(new PushedFrame(_provisional, Convert.FromHexString(id)));
            _link.Flush();
        }

        public void WaitDurable(CancellationToken cancellation)
        {
            var ack = _ack ?? throw new InvalidOperationException("pushed shard " + _provisional + " was not finished");
            AckStatus status = ack.WaitAsync(cancellation).GetAwaiter().GetResult();

            if (status != AckStatus.Ok)
            {
                throw new IOException(_link.Peer.Short + " did not store pushed shard " + _provisional + ": " + status);
            }
        }
    }
}
