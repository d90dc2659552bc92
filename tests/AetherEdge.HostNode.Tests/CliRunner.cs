using AetherEdge.HostNode.Cli;

namespace AetherEdge.HostNode.Tests
{
    /// <summary>Runs `aether` in-process and captures exit code, stdout and stderr.</summary>
    internal static class CliRunner
    {
        public static (int Code, string Out, string Err) Run(params string[] args)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = CliHost.Run(args, new CliContext(o, e, CancellationToken.None));
            return (code, o.ToString(), e.ToString());
        }
    }
}
