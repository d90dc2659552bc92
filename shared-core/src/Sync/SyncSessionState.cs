namespace AetherEdge.Core.Sync
{
    /// <summary>Where a session stands.</summary>
    public enum SyncSessionState
    {
        /// <summary>Created; Start not called.</summary>
        Idle = 0,

        /// <summary>Hello sent, peer's Hello not yet received.</summary>
        AwaitingHello = 1,

        /// <summary>Exchanging inventories, wants and items.</summary>
        Syncing = 2,

        /// <summary>Both sides sent Done and everything queued was written.</summary>
        Complete = 3,

        /// <summary>Ended by an Error frame or a protocol violation.</summary>
        Failed = 4,
    }
}
