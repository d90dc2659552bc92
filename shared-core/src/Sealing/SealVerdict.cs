namespace AetherEdge.Core.Sealing
{
    /// <summary>What <see cref="SealedFrameGuard.Open"/> decided about one frame.</summary>
    public enum SealVerdict
    {
        /// <summary>Authentic, fresh, for this node: the body may be used.</summary>
        Accepted = 0,

        /// <summary>Does not parse.</summary>
        Malformed = 1,

        /// <summary>Sealed for another node.</summary>
        NotForUs = 2,

        /// <summary>Timestamp outside the freshness window (a recording played back late, or a clock far off).</summary>
        Stale = 3,

        /// <summary>No key for the sender, or the tag does not match: a device outside the trust circle, or a forgery.</summary>
        Stranger = 4,

        /// <summary>Authentic and within the window, but this sender's nonce was seen already: a replay.</summary>
        Replay = 5,
    }
}
