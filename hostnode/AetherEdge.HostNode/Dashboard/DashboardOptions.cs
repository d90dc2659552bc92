namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>The dashboard's values from the hub's settings (built once by the hub's composition).</summary>
    public sealed class DashboardOptions
    {
        /// <summary>How long a snapshot is reused: page polls from any number of tabs cost one build per period.</summary>
        public static readonly TimeSpan DefaultSnapshotReuse = TimeSpan.FromSeconds(1);

        public DashboardOptions(string home, TimeSpan onlineWindow)
        {
            Home = home;
            OnlineWindow = onlineWindow;
        }

        /// <summary>The hub's home (config.json, the dashboard secret, the user key for file names).</summary>
        public string Home { get; }

        /// <summary>A device counts as online this long after it was last heard (the hub's online window).</summary>
        public TimeSpan OnlineWindow { get; }

        public TimeSpan SnapshotReuse { get; init; } = DefaultSnapshotReuse;
    }
}
