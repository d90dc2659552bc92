using System.CommandLine;
using AetherEdge.HostNode.Cli;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>The <c>aether</c> command tree, composed in one place: add a verb here and nowhere else.</summary>
    public static class AetherCommand
    {
        public const string Description = "aether — AetherEdge offline mesh node";

        public static RootCommand Create(CliContext context)
        {
            var shared = new SharedOptions();
            var root = new RootCommand(Description)
            {
                new PlanVerb(shared, context),
                new IdVerb(shared, context),
                new TrustVerb(shared, context),
                new PowerVerb(shared, context),
                new PairVerb(shared, context),
                new HubVerb(shared, context),
                new PeersVerb(shared, context),
                new AdvertiseVerb(shared, context),
                new InitVerb(shared, context),
                new PutVerb(shared, context),
                new GetVerb(shared, context),
                new LsVerb(shared, context),
                new RmVerb(shared, context),
                new StatusVerb(shared, context),
                new DashboardVerb(shared, context),
                new RepairIndexVerb(shared, context),
                new LinkBenchVerb(shared, context),
                new CompletionVerb(context),
            };
            CliHelp.Install(root, typeof(AetherCommand).Assembly);
            return root;
        }

        /// <summary>Runs one command line in-process (what <c>Main</c> and the tests call).</summary>
        public static int Run(string[] args, CliContext context) => CliHost.Run(Create(context), args, context);
    }
}
