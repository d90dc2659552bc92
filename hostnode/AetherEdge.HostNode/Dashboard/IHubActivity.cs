namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// What the dashboard needs from the running hub's services (implemented in Hub, so this folder never
    /// uses the Hub namespace that composes it): the scheduler's last skip and last round, and a way to ask
    /// for a round after the allocation changed (peers then hear the new allocation in the next Hello).
    /// </summary>
    public interface IHubActivity
    {
        /// <summary>The scheduler's last skip and the last completed sync round.</summary>
        HubActivity Now();

        /// <summary>Asks for a sync round soon (requests coalesce).</summary>
        void RequestRound();
    }

    /// <summary>A skip reason as the page shows it (battery, network, frequency), when it happened, and the last completed round.</summary>
    public sealed record HubActivity(string? LastSkip, DateTimeOffset? LastSkipUtc, DateTimeOffset? LastSyncUtc)
    {
        public static readonly HubActivity None = new(null, null, null);
    }
}
