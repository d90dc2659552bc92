namespace AetherEdge.HostNode.Cli
{
    /// <summary>Dispatches a verb and turns failures into one-line errors with exit codes.</summary>
    public static class CliHost
    {
        public const int ExitOk = 0;
        public const int ExitFailure = 1;
        public const int ExitUsage = 2;

        public static int Run(string[] args, TextWriter output, TextWriter error)
        {
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cts.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                return Run(args, new CliContext(output, error, cts.Token));
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }

        public static int Run(string[] args, CliContext context)
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                PrintHelp(args.Length == 0 ? context.Error : context.Out);
                return args.Length == 0 ? ExitUsage : ExitOk;
            }

            IVerb? verb = null;
            foreach (var v in VerbTable.All)
            {
                if (v.Name == args[0])
                {
                    verb = v;
                }
            }

            if (verb == null)
            {
                context.Error.WriteLine($"aether: unknown command '{args[0]}' (try 'aether --help')");
                return ExitUsage;
            }

            var rest = args.Skip(1).ToArray();
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                context.Out.WriteLine(verb.Usage);
                return ExitOk;
            }

            try
            {
                return verb.Run(ParseFor(verb, rest), context);
            }
            catch (UsageException e)
            {
                context.Error.WriteLine($"aether {verb.Name}: {e.Message}");
                return ExitUsage;
            }
            catch (OperationCanceledException)
            {
                context.Error.WriteLine($"aether {verb.Name}: cancelled");
                return ExitFailure;
            }
            catch (IOException e)
            {
                context.Error.WriteLine($"aether {verb.Name}: {e.Message}");
                return ExitFailure;
            }
            catch (UnauthorizedAccessException e)
            {
                context.Error.WriteLine($"aether {verb.Name}: {e.Message}");
                return ExitFailure;
            }
        }

        private static CommandLine ParseFor(IVerb verb, string[] rest) =>
            CommandLine.Parse(rest, verb is IHasFlags f ? f.Flags : Array.Empty<string>());

        private static void PrintHelp(TextWriter w)
        {
            w.WriteLine("aether — AetherEdge offline mesh node");
            w.WriteLine();
            w.WriteLine("usage: aether <command> [options]   (aether <command> --help for details)");
            w.WriteLine();
            foreach (var v in VerbTable.All)
            {
                w.WriteLine($"  {v.Name,-10} {v.Summary}");
            }
        }
    }

    /// <summary>A verb whose boolean options take no value (e.g. <c>--json</c>).</summary>
    public interface IHasFlags
    {
        ICollection<string> Flags { get; }
    }
}
