using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Repair;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>Which offered shards a session pulls.</summary>
    public interface IPullPolicy
    {
        /// <summary>True when this node should pull shard <paramref name="shardId"/> (offered by <paramref name="peer"/>).</summary>
        bool ShouldPull(string shardId, DeviceId peer);

        /// <summary>Until disposed, answers on this thread may share work (one plan per file per inventory).</summary>
        IDisposable Batch();

        /// <summary>
        /// Everything answers depend on besides the shards' own files: equal strings mean an offered shard's answer
        /// changes only when its file's holders or manifest changed (then <see cref="FileShards"/> names the others).
        /// </summary>
        string StateKey();

        /// <summary>The shard ids of the file an id names or belongs to (empty when unknown here).</summary>
        IReadOnlyList<string> FileShards(string id);

        /// <summary>Ids to pull whatever changed (a repair's inputs).</summary>
        string[] Extra();
    }

    /// <summary>
    /// The hub's pull policy: the shards the placement plan assigns here, plus the inputs a repair asked
    /// for, and nothing before <see cref="Start"/>: a node that just started or joined knows only some
    /// devices and would pull shards a plan over all of them gives to others, so the sync service starts
    /// pulling once a round has tried every peer it knows.
    /// </summary>
    public sealed class PullPolicy : IPullPolicy
    {
        private readonly PlacementOracle _oracle;
        private readonly RepairInputs _inputs;
        private int _pulling;

        public PullPolicy(PlacementOracle oracle, RepairInputs inputs)
        {
            _oracle = oracle;
            _inputs = inputs;
        }

        public bool Pulling => Volatile.Read(ref _pulling) != 0;

        /// <summary>Opens the gate (for good: plans only get better informed from here).</summary>
        public void Start() => Volatile.Write(ref _pulling, 1);

        public bool ShouldPull(string shardId, DeviceId peer) =>
            Pulling && (_oracle.AssignedHolder(shardId) == _oracle.SelfId || _inputs.Wants(shardId));

        public IDisposable Batch() => _oracle.PlanEachFileOnce();

        public string StateKey() => (Pulling ? "pulling|" : "waiting|") + _oracle.PlanningKey();

        public IReadOnlyList<string> FileShards(string id) => _oracle.FileShards(id);

        public string[] Extra() => _inputs.PendingIds();
    }
}
