namespace AetherEdge.Core.Sealing
{
    /// <summary>
    /// The keyed MAC behind sealed frames, implemented where the crypto is: on the hub with the per-pair key
    /// from ECDH of the two device identities (HMAC-SHA256 truncated to 16 bytes); in firmware glue with the
    /// chip's own primitives. Keys are looked up by the peer's router node id.
    /// </summary>
    public interface IFrameAuthenticator
    {
        /// <summary>
        /// Writes the <see cref="SealedFrame.TagBytes"/>-byte tag of <paramref name="length"/> bytes at
        /// <paramref name="offset"/> under the key shared with <paramref name="peer"/>; false when there is none.
        /// </summary>
        bool TryTag(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset);

        /// <summary>True when the tag at <paramref name="tagOffset"/> matches (compared in constant time); false when it does not or there is no key.</summary>
        bool Verify(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset);
    }
}
