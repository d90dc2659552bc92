using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests
{
    /// <summary>Runs `aether` in-process and captures exit code, stdout and stderr.</summary>
    internal static class CliRunner
    {
        public static (int Code, string Out, string Err) Run(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = AetherCommand.Run(args, new CliContext(o, e, CancellationToken.None));
            return (code, o.ToString(), e.ToString());
        }

        /// <summary>Runs with <paramref name="stdin"/> as what <c>-</c> reads; returns what <c>-o -</c> wrote too.</summary>
        public static (int Code, string Out, string Err, byte[] Binary) Run(byte[] stdin, params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            using var input = new MemoryStream(stdin);
            using var binary = new MemoryStream();
            int code = AetherCommand.Run(args, new CliContext(o, e, CancellationToken.None, input, binary));
            return (code, o.ToString(), e.ToString(), binary.ToArray());
        }
    }
}
