using AetherEdge.Core.Scheduling;
using AetherEdge.HostNode.Dashboard;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>The hub's side of the dashboard: the scheduler's history and the sync trigger, behind <see cref="IHubActivity"/>.</summary>
    public sealed class DashboardActivity : IHubActivity
    {
        private readonly HubScheduler _scheduler;
        private readonly SyncTrigger _trigger;

        public DashboardActivity(HubScheduler scheduler, SyncTrigger trigger)
        {
            _scheduler = scheduler;
            _trigger = trigger;
        }

        public HubActivity Now()
        {
            var h = _scheduler.History();
            return new HubActivity(h.LastSkip is SyncDecision d ? Reason(d) : null, h.LastSkipUtc, h.LastSyncUtc);
        }

        public void RequestRound() => _trigger.Request();

        private static string Reason(SyncDecision d) => d switch
        {
            SyncDecision.SkippedBattery => "battery low and not plugged in",
            SyncDecision.SkippedNetwork => "no acceptable network (cellular only)",
            SyncDecision.SkippedFrequency => "too soon after the last round",
            _ => d.ToString(),
        };
    }
}
