using AetherEdge.Core.Routing;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>Where receipts for shards received here go (the hub: <see cref="MeshShardSender"/>, which seals and sends them).</summary>
    public interface IMeshShardReceipts
    {
        /// <summary>Queues the receipt <paramref name="result"/> for shard <paramref name="contentId"/> to <paramref name="node"/>; any thread, never blocks (bounded: the excess is dropped, counted).</summary>
        void Acknowledge(uint node, byte[] contentId, byte result);

        /// <summary>Queues the answer to a shard offer from <paramref name="node"/> (<see cref="MeshShardOffer.WriteAnswer"/>); same queue, same bound.</summary>
        void Answer(uint node, byte[] answerBody);
    }

    /// <summary>What this device would do with a shard offered to it (the hub: <see cref="MeshShards"/>); may block (thread pool).</summary>
    public interface IMeshShardWants
    {
        /// <summary>A receipt code: <see cref="MeshShardReceipt.AlreadyHeld"/>, <see cref="MeshShardReceipt.Wanted"/>, or a refusal (no manifest, not planned here).</summary>
        byte Want(string id, uint source);
    }

    /// <summary>
    /// Sealed body kind 7: what the receiver of a shard did with it, sent back to the sender end to end
    /// (<c>kind 7 | content id (32) | result u8</c>). Results below <see cref="FirstRefusal"/> mean the shard is kept:
    /// stored, already held, held for handoff; <see cref="Relayed"/> means passed on to its planned holder; the rest
    /// are refusals (the shard is not kept here); from <see cref="BadHash"/> on, the shard never got as far as the
    /// plan: it failed to arrive whole (the sender reacts by kind: resend whole, back off, start over).
    /// </summary>
    public static class MeshShardReceipt
    {
        public const int Bytes = 1 + 32 + 1;

        public const byte Stored = 1;
        public const byte AlreadyHeld = 2;
        public const byte HeldForHandoff = 3;
        public const byte Relayed = 4;

        /// <summary>An offered shard (<see cref="MeshShardOffer"/>) not held here that the plan gives here: send it.</summary>
        public const byte Wanted = 5;
        public const byte FirstRefusal = 16;
        public const byte NoManifest = 16;
        public const byte NotPlannedHere = 17;
        public const byte RelayRefused = 18;
        public const byte Busy = 19;
        public const byte StoreFailed = 20;

        /// <summary>The whole shard (an envelope, or its pieces put together) did not hash to its content id.</summary>
        public const byte BadHash = 21;

        /// <summary>The receiver had no room to put the shard together (its reassembly bound); nothing of it is held.</summary>
        public const byte NoRoom = 22;

        /// <summary>The receiver dropped the pieces it held after they sat idle: a resume must start over.</summary>
        public const byte Expired = 23;

        /// <summary>An envelope or piece that does not parse.</summary>
        public const byte Malformed = 24;

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
            MeshShards.BadHash => BadHash,
            MeshShards.Malformed => Malformed,
            MeshShardPieces.NoRoom => NoRoom,
            MeshShardPieces.Expired => Expired,
            _ => 0,
        };

        /// <summary>The counter label of a receipt code (as the receiver counts the result; `unknown` for codes this hub does not know).</summary>
        public static string Name(byte result) => result switch
        {
            Stored => MeshShards.Stored,
            AlreadyHeld => MeshShards.AlreadyHeld,
            HeldForHandoff => MeshShards.HeldForHandoff,
            Relayed => MeshShards.Relayed,
            Wanted => "wanted",
            NoManifest => MeshShards.NoManifest,
            NotPlannedHere => MeshShards.NotPlannedHere,
            RelayRefused => MeshShards.RelayRefused,
            Busy => MeshShards.Busy,
            StoreFailed => MeshShards.StoreFailed,
            BadHash => MeshShards.BadHash,
            NoRoom => MeshShardPieces.NoRoom,
            Expired => MeshShardPieces.Expired,
            Malformed => MeshShards.Malformed,
            _ => "unknown",
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
