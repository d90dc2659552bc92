namespace AetherEdge.HostNode.Cli
{
    /// <summary>What a verb may touch: its output streams, environment and cancellation.</summary>
    public sealed class CliContext
    {
        private readonly Stream? _input;
        private readonly Stream? _binaryOut;

        public CliContext(TextWriter output, TextWriter error, CancellationToken cancellation)
            : this(output, error, cancellation, null, null)
        {
        }

        /// <param name="input">what <c>-</c> reads (default: the process's stdin)</param>
        /// <param name="binaryOut">what <c>-o -</c> writes (default: the process's stdout)</param>
        public CliContext(TextWriter output, TextWriter error, CancellationToken cancellation, Stream? input, Stream? binaryOut)
        {
            Out = output;
            Error = error;
            Cancellation = cancellation;
            _input = input;
            _binaryOut = binaryOut;
        }

        public TextWriter Out { get; }

        public TextWriter Error { get; }

        public CancellationToken Cancellation { get; }

        /// <summary>True when stdout is a terminal (progress bars and colour are allowed).</summary>
        public bool IsInteractive => !Console.IsOutputRedirected && ReferenceEquals(Out, Console.Out);

        /// <summary>True when <c>-</c> would read from a terminal rather than a pipe or file.</summary>
        public bool InputIsTerminal => _input == null && !Console.IsInputRedirected;

        /// <summary>Bytes read for a <c>-</c> input (stdin).</summary>
        public Stream OpenInput() => _input ?? Console.OpenStandardInput();

        /// <summary>Bytes written for a <c>-</c> output (stdout); text written to <see cref="Out"/> is flushed first.</summary>
        public Stream OpenBinaryOutput()
        {
            Out.Flush();
            return _binaryOut ?? Console.OpenStandardOutput();
        }
    }
}
