using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Cli
{
    /// <summary>Every verb of <c>aether</c>, in help order. Add a verb here and nowhere else.</summary>
    public static class VerbTable
    {
        public static IReadOnlyList<IVerb> All { get; } = new IVerb[]
        {
            new PlanVerb(),
            new IdVerb(),
            new TrustVerb(),
            new PowerVerb(),
            new PairVerb(),
            new HubVerb(),
            new PeersVerb(),
            new AdvertiseVerb(),
            new InitVerb(),
            new PutVerb(),
            new GetVerb(),
            new StatusVerb(),
            new RepairIndexVerb(),
            new LinkBenchVerb(),
        };
    }
}
