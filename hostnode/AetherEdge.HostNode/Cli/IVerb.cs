namespace AetherEdge.HostNode.Cli
{
    /// <summary>One CLI verb (<c>aether plan</c>, <c>aether put</c>, ...).</summary>
    public interface IVerb
    {
        /// <summary>The word typed after <c>aether</c>.</summary>
        string Name { get; }

        /// <summary>One line for the help listing.</summary>
        string Summary { get; }

        /// <summary>Usage text shown by <c>aether NAME --help</c>.</summary>
        string Usage { get; }

        /// <summary>Runs the verb. Throws <see cref="UsageException"/> for bad input.</summary>
        int Run(CommandLine args, CliContext context);
    }
}
