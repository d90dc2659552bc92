using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using Spectre.Console;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>What put/get/status share: opening the home and store, and optional progress bars.</summary>
    internal static class StoreVerbSupport
    {
        public static NodeHome OpenHome(CommandLine args)
        {
            string path = HomeDirectory.Resolve(args.String("home"));
            try
            {
                return NodeHome.Open(path);
            }
            catch (HomeException e)
            {
                throw new UsageException(e.Message);
            }
        }

        public static ShardStore OpenStore(NodeHome home, CliContext context, bool verifyHashes = false) =>
            ShardStore.Open(home.Path, home.AllocationBytes, verifyHashes, context.Error);

        public static UserKeys Keys(NodeHome home)
        {
            try
            {
                return new UserKeys(home.ReadUserKey());
            }
            catch (HomeException e)
            {
                throw new UsageException(e.Message);
            }
        }

        /// <summary>Runs <paramref name="work"/> with a progress bar when attached to a terminal and not --json.</summary>
        public static T WithProgress<T>(CliContext context, bool json, string label, long total, Func<Action<long>?, T> work)
        {
            if (json || !context.IsInteractive)
            {
                return work(null);
            }

            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
                    result = work(done => task.Value = done);
                    task.Value = task.MaxValue;
                });
            return result;
        }
    }
}
