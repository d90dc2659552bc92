namespace AetherEdge.HostNode.Diagnostics
{
    /// <summary>
    /// A part of the hub that declares collectors in the hub's metrics registry. The hub resolves every one
    /// before it serves <c>/metrics</c>, so a part nobody else resolved yet shows its series as 0 on the first
    /// scrape instead of missing from the page. Register it with its other registrations (HubHost).
    /// </summary>
    public interface IMetricsSource
    {
    }
}
