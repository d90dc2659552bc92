using System.CommandLine;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// <c>aether repair-index</c>: rebuilds a lost or damaged HOME/index.db from the shard files and
    /// manifest files on disk (every shard is re-hashed; damaged ones are quarantined).
    /// </summary>
    public sealed class RepairIndexVerb : Command
    {
        private readonly SharedOptions _shared;

        public RepairIndexVerb(SharedOptions shared, CliContext context)
            : base("repair-index", "rebuild a lost or damaged shard index from the shard and manifest files\n" +
                "Rebuilds HOME/index.db from HOME/shards (file and index from each shard's header; every shard\n" +
                "is re-hashed and damaged ones are quarantined) and HOME/manifests. The old index is kept as\n" +
                "index.db.lost-TIME. Run it when other verbs refuse the index; stop any hub on this home first.")
        {
            _shared = shared;
            Add(shared.Home);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            bool json = parse.GetValue(_shared.Json);
            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: true);
            var r = ShardStore.RebuildIndex(home.Path, home.AllocationBytes, new ShardFormat(), context.Error);
            if (json)
            {
                context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    home = home.Path,
                    shards = r.ShardsIndexed,
                    bytes = r.BytesIndexed,
                    files = r.ManifestsIndexed,
                    shardsQuarantined = r.ShardsQuarantined,
                    manifestsQuarantined = r.ManifestsQuarantined,
                    shardsWithoutManifest = r.ShardsWithoutManifest,
                    shardsWithoutHeader = r.ShardsWithoutHeader,
                    oldIndex = r.OldIndexKeptAs,
                }));
            }
            else
            {
                context.Out.WriteLine("index of " + home.Path + " rebuilt: " + r);
                if (r.OldIndexKeptAs != null)
                {
                    context.Out.WriteLine("the old index is kept as " + r.OldIndexKeptAs);
                }
            }

            return CliHost.ExitOk;
        }
    }
}
