using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode
{
    /// <summary>Entry point of the <c>aether</c> executable.</summary>
    public static class Program
    {
        /// <summary>Runs one verb; exit 0 on success, 2 on bad input, 1 on runtime failure.</summary>
        public static int Main(string[] args) => CliHost.Run(AetherCommand.Create, args, Console.Out, Console.Error);
    }
}
