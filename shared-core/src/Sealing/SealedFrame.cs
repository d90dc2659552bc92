namespace AetherEdge.Core.Sealing
{
    using AetherEdge.Core.Protocol;
    using AetherEdge.Core.Routing;

    /// <summary>Fields of a sealed frame's header; the body stays in the caller's buffer.</summary>
    public sealed class SealedFrameHeader
    {
        /// <summary>Router node id of the device that sealed it.</summary>
        public uint Sender;

        /// <summary>Router node id of the one device that may open it.</summary>
        public uint Receiver;

        /// <summary>Sender's clock when sealed, Unix milliseconds.</summary>
        public long TimestampMs;

        /// <summary>Random per frame.</summary>
        public ulong Nonce;

        /// <summary>Where the body starts in the parsed buffer (its first byte is the body's payload kind).</summary>
        public int BodyOffset;

        /// <summary>Body length (without the tag).</summary>
        public int BodyLength;
    }

    /// <summary>
    /// A routed payload from a trusted device, authenticated end to end and fresh:
    /// <c>kind 5 | version 1 | sender u32 | receiver u32 | timestamp i64 (Unix ms) | nonce u64 | body | tag (16)</c>,
    /// big-endian; the tag covers everything before it under the key the two devices share. The body is not
    /// encrypted (a shard envelope's shard is ciphertext already), so a beacon can still see what it relays
    /// and cache shard envelopes, but can neither forge nor alter a frame. See README.md.
    /// </summary>
    public static class SealedFrame
    {
        /// <summary>Format version.</summary>
        public const int Version = 1;

        /// <summary>Header bytes before the body.</summary>
        public const int HeaderBytes = 26;

        /// <summary>Tag bytes after the body.</summary>
        public const int TagBytes = 16;

        /// <summary>Header plus tag.</summary>
        public const int OverheadBytes = HeaderBytes + TagBytes;

        /// <summary>
        /// Seals <paramref name="bodyLength"/> bytes into <paramref name="destination"/>; returns the bytes written,
        /// or -1 when it does not fit, the body is empty or there is no key for <paramref name="receiver"/>.
        /// </summary>
        public static int Seal(IFrameAuthenticator keys, uint sender, uint receiver, long timestampMs, ulong nonce,
            byte[] body, int bodyOffset, int bodyLength, byte[] destination, int offset)
        {
            int total = OverheadBytes + bodyLength;
            if (bodyLength < 1 || destination.Length - offset < total)
            {
                return -1;
            }

            destination[offset] = MeshPayloadKind.Sealed;
            destination[offset + 1] = Version;
            NetworkOrder.WriteUInt32(destination, offset + 2, sender);
            NetworkOrder.WriteUInt32(destination, offset + 6, receiver);
            NetworkOrder.WriteUInt64(destination, offset + 10, (ulong)timestampMs);
            NetworkOrder.WriteUInt64(destination, offset + 18, nonce);
            System.Array.Copy(body, bodyOffset, destination, offset + HeaderBytes, bodyLength);
            if (!keys.TryTag(receiver, destination, offset, HeaderBytes + bodyLength, destination, offset + HeaderBytes + bodyLength))
            {
                return -1;
            }

            return total;
        }

        /// <summary>Parses the header (not the tag); throws <see cref="ProtocolViolationException"/> on a malformed frame.</summary>
        public static void Parse(byte[] buffer, int offset, int length, SealedFrameHeader header)
        {
            if (length < OverheadBytes + 1)
            {
                throw new ProtocolViolationException("sealed frame: " + length + " bytes, need at least " + (OverheadBytes + 1));
            }

            if (buffer[offset] != MeshPayloadKind.Sealed)
            {
                throw new ProtocolViolationException("sealed frame: kind " + buffer[offset]);
            }

            if (buffer[offset + 1] != Version)
            {
                throw new ProtocolViolationException("sealed frame: version " + buffer[offset + 1]);
            }

            header.Sender = NetworkOrder.ReadUInt32(buffer, offset + 2);
            header.Receiver = NetworkOrder.ReadUInt32(buffer, offset + 6);
            if (header.Sender == RoutingLimits.NoNode || header.Sender == RoutingLimits.Broadcast
                || header.Receiver == RoutingLimits.NoNode || header.Receiver == RoutingLimits.Broadcast)
            {
                throw new ProtocolViolationException("sealed frame: reserved node id");
            }

            header.TimestampMs = (long)NetworkOrder.ReadUInt64(buffer, offset + 10);
            header.Nonce = NetworkOrder.ReadUInt64(buffer, offset + 18);
            header.BodyOffset = offset + HeaderBytes;
            header.BodyLength = length - OverheadBytes;
        }
    }
}
