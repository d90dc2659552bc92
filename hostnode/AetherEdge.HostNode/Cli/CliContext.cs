namespace AetherEdge.HostNode.Cli
{
    /// <summary>What a verb may touch: its output streams, environment and cancellation.</summary>
    public sealed class CliContext
    {
        public CliContext(TextWriter output, TextWriter error, CancellationToken cancellation)
        {
            Out = output;
            Error = error;
            Cancellation = cancellation;
        }

        public TextWriter Out { get; }

        public TextWriter Error { get; }

        public CancellationToken Cancellation { get; }

        /// <summary>True when stdout is a terminal (progress bars and colour are allowed).</summary>
        public bool IsInteractive => !Console.IsOutputRedirected && ReferenceEquals(Out, Console.Out);
    }
}
