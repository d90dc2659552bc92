namespace AetherEdge.Core.Routing
{
    /// <summary>What the dedup cache says about a (source, packet id).</summary>
    public enum DedupVerdict
    {
        /// <summary>Not seen before: process it.</summary>
        New = 0,

        /// <summary>Seen already (inside the window).</summary>
        Duplicate = 1,

        /// <summary>Older than the window: a replay or a copy that wandered too long.</summary>
        Stale = 2,
    }
}
