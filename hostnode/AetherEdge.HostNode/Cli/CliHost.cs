using System.CommandLine;
using System.CommandLine.Invocation;
using System.Data.Common;

namespace AetherEdge.HostNode.Cli
{
    /// <summary>
    /// Parses with System.CommandLine, runs the chosen verb and turns every failure into one line on
    /// stderr: 2 for bad input (parse errors, <see cref="UsageException"/>), 1 for runtime failures.
    /// </summary>
    public static class CliHost
    {
        public const int ExitOk = 0;
        public const int ExitFailure = 1;
        public const int ExitUsage = 2;

        /// <summary>Set to 1 to print the stack trace of an unexpected failure (for bug reports).</summary>
        public const string TraceVariable = "AETHER_TRACE";

        // Response files ("@file") would turn a file argument such as "@notes.txt" into a lookup.
        private static readonly ParserConfiguration s_parser = new() { ResponseFileTokenReplacer = null };

        /// <summary>Runs on the process console; Ctrl-C cancels the verb's token.</summary>
        public static int Run(Func<CliContext, RootCommand> build, string[] args, TextWriter output, TextWriter error)
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
                var context = new CliContext(output, error, cts.Token);
                return Run(build(context), args, context);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }

        public static int Run(RootCommand root, string[] args, CliContext context)
        {
            var parse = root.Parse(args, s_parser);
            if (parse.Action is ParseErrorAction)
            {
                if (ParseErrors.IsBareRoot(parse))
                {
                    // Plain `aether`: the verb list, on stderr because nothing was done.
                    root.Parse(new[] { "--help" }, s_parser).Invoke(new InvocationConfiguration { Output = context.Error, Error = context.Error });
                    return ExitUsage;
                }

                context.Error.WriteLine(Prefix(parse) + OneLine(ParseErrors.Describe(parse)));
                return ExitUsage;
            }

            if (parse.Action is not { ClearsParseErrors: true } && ParseErrors.UnknownOptionTakenAsValue(parse) is string unknown)
            {
                context.Error.WriteLine(Prefix(parse) + unknown);
                return ExitUsage;
            }

            var invocation = new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            try
            {
                return parse.Invoke(invocation);
            }
            catch (UsageException e)
            {
                return Fail(parse, context, e.Message, ExitUsage);
            }
            catch (OperationCanceledException)
            {
                return Fail(parse, context, "cancelled", ExitFailure);
            }
            catch (IOException e)
            {
                return Fail(parse, context, e.Message, ExitFailure);
            }
            catch (UnauthorizedAccessException e)
            {
                return Fail(parse, context, e.Message, ExitFailure);
            }
            catch (DbException e)
            {
                // SQLite index errors (a damaged or read-only index.db) are runtime failures too.
                return Fail(parse, context, e.Message, ExitFailure);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug, not the user's fault: still one line (the trace on request, for a bug report).
                if (Environment.GetEnvironmentVariable(TraceVariable) == "1")
                {
                    context.Error.WriteLine(e);
                }

                return Fail(parse, context, "unexpected " + e.GetType().Name + ": " + e.Message + " (set " + TraceVariable + "=1 for details)", ExitFailure);
            }
        }


        private static int Fail(ParseResult parse, CliContext context, string message, int code)
        {
            context.Error.WriteLine(Prefix(parse) + OneLine(message));
            return code;
        }

        /// <summary><c>aether VERB: </c> for the top-level verb, <c>aether: </c> at the root.</summary>
        private static string Prefix(ParseResult parse)
        {
            var result = parse.CommandResult;
            while (result.Parent is System.CommandLine.Parsing.CommandResult parent && parent.Command is not RootCommand)
            {
                result = parent;
            }

            return result.Command is RootCommand ? "aether: " : "aether " + result.Command.Name + ": ";
        }

        private static string OneLine(string message) =>
            string.Join(' ', message.Split(new[] { '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
