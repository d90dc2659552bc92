using AetherEdge.Core.Allocation;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// The settings page's one change: this device's allocation. Checked against the kind's minimum and maximum
    /// for this disk, saved to the home's <c>config.json</c> (so a restart keeps it), then put in effect at once:
    /// the store's quota, the device the plans are made from, and a sync round so peers hear it in the next Hello
    /// (their plans follow). Changes are serialised.
    /// </summary>
    public sealed class AllocationSettings
    {
        private readonly LocalDevice _self;
        private readonly ShardStore _store;
        private readonly IHubActivity _activity;
        private readonly KitView _view;
        private readonly DashboardOptions _options;
        private readonly object _gate = new();

        public AllocationSettings(LocalDevice self, ShardStore store, IHubActivity activity, KitView view, DashboardOptions options)
        {
            _self = self;
            _store = store;
            _activity = activity;
            _view = view;
            _options = options;
        }

        /// <summary>Parses <paramref name="text"/> ("12 GB", "500MB", "2000000000") and applies it.</summary>
        public AllocationResult Apply(string text)
        {
            if (!SizeText.TryParse(text.Trim(), out long bytes))
            {
                return new AllocationResult(false, _self.AllocationBytes, "\"" + Clip(text) + "\" is not a size (examples: 12 GB, 500 MB)");
            }

            return Apply(bytes);
        }

        /// <summary>Validates, saves and applies <paramref name="bytes"/>; the refusal names the allowed range.</summary>
        public AllocationResult Apply(long bytes)
        {
            lock (_gate)
            {
                long total = NodeHome.TotalCapacityBytes(_options.Home);
                long min = StorageAllocation.MinAllocationBytes(_self.Kind);
                long max = StorageAllocation.MaxAllocationBytes(_self.Kind, total);
                if (StorageAllocation.ValidationError(_self.Kind, bytes, total) != null)
                {
                    string kind = StorageAllocation.KindName(_self.Kind);
                    string range = max < min
                        ? "this disk (" + SizeText.Format(total) + ") is too small for a " + kind
                        : "a " + kind + " on this disk takes " + SizeText.Format(min) + " to " + SizeText.Format(max)
                            + " (" + min + " to " + max + " bytes)";
                    return new AllocationResult(false, _self.AllocationBytes, SizeText.Format(bytes) + " is out of range: " + range);
                }

                try
                {
                    NodeHome.SaveAllocation(_options.Home, bytes);
                }
                catch (Exception e) when (e is HomeException or IOException or UnauthorizedAccessException)
                {
                    return new AllocationResult(false, _self.AllocationBytes, "could not save the allocation: " + e.Message);
                }

                _store.SetAllocation(bytes);
                _self.SetAllocation(bytes);
                _view.Invalidate();
                _activity.RequestRound();
                return new AllocationResult(true, bytes, null);
            }
        }

        private static string Clip(string text) => text.Length > 40 ? text.Substring(0, 40) + "…" : text;
    }
}
