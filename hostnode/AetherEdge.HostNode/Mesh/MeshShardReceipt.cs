using AetherEdge.Core.Routing;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Sealed body kind 7: what the receiver of a shard did with it, sent back to the sender end to end
    /// (<c>kind 7 | content id (32) | result u8</c>). Results below <see cref="FirstRefusal"/> mean the shard is kept:
    /// stored, already held, held for handoff; <see cref="Relayed"/> means passed on to its planned holder; the rest
    /// are refusals (the shard is not kept here).
    /// </summary>
    public static class MeshShardReceipt
    {
        public const int Bytes = 1 + 32 + 1;

        public const byte Stored = 1;
        public const byte AlreadyHeld = 2;
        public const byte HeldForHandoff = 3;
        public const byte Relayed = 4;
        public const byte FirstRefusal = 16;
        public const byte NoManifest = 16;
        public const byte NotPlannedHere = 17;
        public const byte RelayRefused = 18;
        public const byte Busy = 19;
        public const byte StoreFailed = 20;

        /// <summary>The receipt code of a <see cref="MeshShards"/> result; 0 for results that get no receipt (the content id is not trusted).</summary>
        public static byte Of(string result) => result switch
        {
            MeshShards.Stored => Stored,
            MeshShards.AlreadyHeld => AlreadyHeld,
            MeshShards.HeldForHandoff => HeldForHandoff,
            MeshShards.Relayed => Relayed,
            MeshShards.NoManifest => NoManifest,
            MeshShards.NotPlannedHere => NotPlannedHere,
            MeshShards.RelayRefused => RelayRefused,
            MeshShards.Busy => Busy,
            MeshShards.StoreFailed => StoreFailed,
            _ => 0,
        };

        /// <summary>True when the receiver keeps the shard (stored, already held, held for handoff).</summary>
        public static bool Kept(byte result) => result >= Stored && result <= HeldForHandoff;

        public static byte[] Write(byte[] contentId, byte result)
        {
            var body = new byte[Bytes];
            body[0] = MeshPayloadKind.ShardReceipt;
            Buffer.BlockCopy(contentId, 0, body, 1, 32);
            body[Bytes - 1] = result;
            return body;
        }

        /// <summary>Parses a receipt body (kind byte first); false when it is not one.</summary>
        public static bool TryParse(byte[] buffer, int offset, int length, out byte[] contentId, out byte result)
        {
            contentId = Array.Empty<byte>();
            result = 0;
            if (length != Bytes || buffer[offset] != MeshPayloadKind.ShardReceipt || buffer[offset + Bytes - 1] == 0)
            {
                return false;
            }

            contentId = buffer.AsSpan(offset + 1, 32).ToArray();
            result = buffer[offset + Bytes - 1];
            return true;
        }
    }
}
