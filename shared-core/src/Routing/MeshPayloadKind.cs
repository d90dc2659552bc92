namespace AetherEdge.Core.Routing
{
    /// <summary>
    /// First byte of every routed payload: which application handles it. One registry for every
    /// node (hub, beacon, phone) so kinds never collide; a node drops kinds it has no handler for.
    /// </summary>
    public static class MeshPayloadKind
    {
        /// <summary>A shard envelope (<see cref="Relay.ShardEnvelope"/>): kind, SHA-256 content id, shard bytes.</summary>
        public const byte Shard = 1;

        /// <summary>A device's signed knowledge record (profile, neighbours); hostnode Mesh/README.md.</summary>
        public const byte Knowledge = 2;

        /// <summary>Signed membership statements (introductions and removals); hostnode Mesh/README.md.</summary>
        public const byte Membership = 3;

        /// <summary>A probe: delivery measurements (simulation, link tests); carries nothing else.</summary>
        public const byte Probe = 4;

        /// <summary>
        /// A sealed frame (<see cref="Sealing.SealedFrame"/>): sender, receiver, timestamp, nonce, a body that starts
        /// with its own kind byte, and a tag under the pair's key. What BLE carries from trusted devices.
        /// </summary>
        public const byte Sealed = 5;

        /// <summary>A piece of a shard too large for one packet (<see cref="Relay.ShardPiece"/>); travels sealed.</summary>
        public const byte ShardPiece = 6;

        /// <summary>
        /// The receiver's word on a shard sent to it (content id, what it did with it); travels sealed back to the
        /// sender, which counts the shard delivered only on a receipt that says kept.
        /// </summary>
        public const byte ShardReceipt = 7;

        /// <summary>
        /// A list of shard content ids a device is about to be sent; the receiver answers which it already holds and
        /// which it wants, so only wanted shards cross BLE (hostnode Mesh/README.md). Travels sealed.
        /// </summary>
        public const byte ShardOffer = 8;

        /// <summary>The answer to a <see cref="ShardOffer"/>: per content id, a receipt code. Travels sealed.</summary>
        public const byte ShardOfferAnswer = 9;
    }
}
