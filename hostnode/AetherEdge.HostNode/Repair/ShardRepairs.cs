using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Sync;
using Prometheus;

namespace AetherEdge.HostNode.Repair
{
    /// <summary>What one repair pass did.</summary>
    public sealed class RepairReport
    {
        /// <summary>Shards rebuilt and stored.</summary>
        public int Rebuilt { get; set; }

        /// <summary>Inputs asked of peers for the next sync sessions.</summary>
        public int InputsWanted { get; set; }

        /// <summary>One line per file that could not be repaired, with the reason.</summary>
        public List<string> Problems { get; } = new();
    }

    /// <summary>
    /// Reed-Solomon repair by any node. When the plan assigns shard i of a file here, this node lacks
    /// it and no online trusted peer offers it, but at least k other shards of the file exist (here or
    /// on online peers), the node pulls the missing inputs into <see cref="RepairInputs"/> (outside the
    /// store: inputs never appear in its inventory, so they cannot change anybody's plan), rebuilds the
    /// lost shards with <see cref="ShardRebuilder"/> (no user key needed; the result must hash to the
    /// manifest's id) and stores them. The inputs are deleted once used or no longer needed.
    /// </summary>
    public sealed class ShardRepairs : IMetricsSource
    {
        /// <summary>Files whose inputs are gathered at once: staged inputs sit outside the quota, k shards per file.</summary>
        public const int MaxFilesInRepair = 4;

        private readonly ShardStoreSyncStore _store;
        private readonly PlacementOracle _oracle;
        private readonly RepairInputs _inputs;
        private readonly string _self;
        private readonly Counter _repaired;
        private string? _quietKey;
        private RepairReport? _quietReport;

        public ShardRepairs(ShardStoreSyncStore store, PlacementOracle oracle, RepairInputs inputs, LocalDevice self, IMetricFactory metrics)
        {
            _repaired = metrics.CreateCounter("aether_shards_repaired_total", "Lost shards this node rebuilt from k others (Reed-Solomon, no user key).");
            _store = store;
            _oracle = oracle;
            _inputs = inputs;
            _self = self.Id.Text;
        }

        /// <summary>Shards rebuilt since start (aether_shards_repaired_total).</summary>
        public long RepairedTotal => (long)_repaired.Value;

        /// <summary>Rebuilds what it can from the inputs at hand and asks for the inputs still missing.</summary>
        public RepairReport Pass()
        {
            // A pass over the same store, knowledge and devices that rebuilt nothing and asked for nothing
            // finds the same again: skip it (idle rounds plan nothing).
            string key = _oracle.InputsKey();
            if (key == _quietKey && _inputs.Idle && _quietReport != null)
            {
                return _quietReport;
            }

            var report = new RepairReport();
            var stillWanted = new Dictionary<string, string>(StringComparer.Ordinal);
            // Files with inputs already asked for first: the cap must not strand what is half gathered.
            var gathering = _inputs.Gathering();
            using var batch = _oracle.PlanEachFileOnce();
            foreach (string manifest in _store.ManifestIds().OrderBy(m => gathering.Contains(m) ? 0 : 1))
            {
                try
                {
                    RepairFile(manifest, report, stillWanted);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or AetherEdge.Core.Erasure.ErasureException)
                {
                    report.Problems.Add("file " + manifest + ": " + e.Message);
                }
            }

            _inputs.Replace(stillWanted);
            report.InputsWanted = _inputs.Missing;
            bool quiet = report.Rebuilt == 0 && report.InputsWanted == 0 && _inputs.Idle;
            _quietKey = quiet ? key : null;
            _quietReport = quiet ? report : null;
            return report;
        }

        private void RepairFile(string manifest, RepairReport report, Dictionary<string, string> stillWanted)
        {
            // A peer whose inventory has not arrived may hold the "lost" shards: wait for it.
            var view = _oracle.View(manifest);
            if (view == null || !view.InventoriesKnown)
            {
                return;
            }

            var layout = view.Layout;
            string self = _self;
            var lost = new List<int>();
            var have = new List<int>();
            var offered = new List<int>();
            var adopt = new List<int>();
            for (int i = 0; i < layout.TotalShards; i++)
            {
                bool staged = _inputs.IsStaged(layout.ShardIds[i]);
                if (view.Assigned[i] == self && !view.Local[i] && !view.Offered[i])
                {
                    // Fetched as an input before its holder went away: it is here already (hash-checked),
                    // so it is stored, not rebuilt (rebuilding an input was refused and stalled the repair).
                    (staged ? adopt : lost).Add(i);
                }

                if (view.Local[i] || staged)
                {
                    have.Add(i);
                }
                else if (view.Offered[i])
                {
                    offered.Add(i);
                }
            }

            foreach (int i in adopt)
            {
                using var staged = _inputs.OpenStaged(layout.ShardIds[i]);
                if (staged != null)
                {
                    _store.AddShard(layout.ShardIds[i], staged);
                    _repaired.Inc();
                    report.Rebuilt++;
                }
            }

            if (lost.Count == 0)
            {
                return;
            }

            int k = layout.DataShards;
            if (have.Count >= k)
            {
                Rebuild(layout, have.Take(k).ToArray(), lost.ToArray());
                _repaired.Inc(lost.Count);
                report.Rebuilt += lost.Count;
                return;
            }

            if (have.Count + offered.Count < k)
            {
                report.Problems.Add("file " + manifest + ": " + lost.Count + " lost shards assigned here, but only " + (have.Count + offered.Count) + " of " + layout.TotalShards + " shards exist; " + k + " needed");
                return;
            }

            if (stillWanted.Values.Distinct().Count() >= MaxFilesInRepair)
            {
                report.Problems.Add("file " + manifest + ": waiting, " + MaxFilesInRepair + " files are already being repaired");
                return;
            }

            // Lowest indexes first: data pieces make the cheapest decode.
            foreach (int i in offered.Take(k - have.Count))
            {
                stillWanted[layout.ShardIds[i]] = manifest;
            }

            foreach (int i in have)
            {
                if (!view.Local[i])
                {
                    stillWanted[layout.ShardIds[i]] = manifest;
                }
            }
        }

        private void Rebuild(ShardManifest layout, int[] inputs, int[] targets)
        {
            var streams = new Dictionary<int, Stream>();
            string[] made = Array.Empty<string>();
            try
            {
                foreach (int i in inputs)
                {
                    string id = layout.ShardIds[i];
                    var s = _store.OpenShard(id) ?? _inputs.OpenStaged(id);
                    streams[i] = s ?? throw new RepairException("shard " + i + " vanished before the repair");
                }

                made = ShardRebuilder.Rebuild(layout, streams, targets, _inputs.Directory);
                for (int j = 0; j < targets.Length; j++)
                {
                    using var fs = File.OpenRead(made[j]);
                    _store.AddShard(layout.ShardIds[targets[j]], fs);
                }
            }
            finally
            {
                foreach (var s in streams.Values)
                {
                    s.Dispose();
                }

                foreach (string p in made)
                {
                    File.Delete(p);
                }
            }
        }
    }
}
