using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;

namespace AetherEdge.HostNode.Push
{
    /// <summary>The push link's names and bounds (wire format: README.md beside this file).</summary>
    public static class PushProtocol
    {
        /// <summary>ALPN of push links on the sync port (same certificates, same trust check as sync).</summary>
        public const string Alpn = "aether-push/1";

        /// <summary>Shards a receiver holds open (received in part) per connection: bounds its open files.</summary>
        public const int MaxOpenPerConnection = 2048;

        /// <summary>Completed shards a receiver fsyncs and indexes together (or sooner, when the sender pauses).</summary>
        public const int AdoptBatch = 64;

        /// <summary>Bytes per ShardChunk frame the sender writes.</summary>
        public const int ChunkBytes = SyncLimits.MaxChunkBytes;

        /// <summary>The provisional item id of shard <paramref name="index"/> of file <paramref name="fileId"/> (its content id comes at the end).</summary>
        public static string ProvisionalId(string fileId, int index) => "p." + fileId + "." + index;

        /// <summary>The file id a provisional id names; false when it is not one.</summary>
        public static bool TryParseProvisional(string provisional, out string fileId)
        {
            string[] parts = provisional.Split('.');
            fileId = parts.Length == 3 ? parts[1] : string.Empty;
            return parts.Length == 3 && parts[0] == "p" && ShardStore.IsFileId(fileId) &&
                int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
        }

        /// <summary>A frame with a fresh timestamp and random nonce, encoded into <paramref name="buffer"/>; returns its length.</summary>
        public static int Encode(SyncFrame frame, byte[] buffer)
        {
            var nonce = new byte[8];
            CryptoRandom.Instance.NextBytes(nonce);
            frame.TimestampMilliseconds = SyncConnection.NowMilliseconds();
            frame.Nonce = BitConverter.ToUInt64(nonce, 0);
            SyncFrameCodec.TryWrite(frame, buffer, 0, buffer.Length, out int n);
            return n;
        }

        /// <summary>Reads one whole frame into <paramref name="buffer"/>; null when the peer closed between frames.</summary>
        public static async Task<SyncFrame?> ReadAsync(Stream stream, byte[] buffer, CancellationToken ct)
        {
            int got = await stream.ReadAtLeastAsync(buffer.AsMemory(0, SyncLimits.HeaderBytes), SyncLimits.HeaderBytes, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (got == 0)
            {
                return null;
            }

            if (got < SyncLimits.HeaderBytes)
            {
                throw new IOException("peer closed the connection inside a frame");
            }

            // The length is checked against the frame limit before anything more is read; a short body is an
            // EndOfStreamException (an IOException).
            int length = SyncFrameCodec.PeekFrameLength(buffer, 0, SyncLimits.HeaderBytes);
            await stream.ReadExactlyAsync(buffer.AsMemory(SyncLimits.HeaderBytes, length - SyncLimits.HeaderBytes), ct).ConfigureAwait(false);
            SyncFrameCodec.TryRead(buffer, 0, length, out var frame);
            return frame;
        }
    }
}
