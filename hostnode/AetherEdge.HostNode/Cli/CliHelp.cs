using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;

namespace AetherEdge.HostNode.Cli
{
    /// <summary>
    /// Generated help and <c>--version</c> for a command tree. A verb's description may run over several
    /// lines: its own help (System.CommandLine's) shows them all, the root's verb list only the first.
    /// </summary>
    public static class CliHelp
    {
        public const string ProgramName = "aether";

        public static void Install(RootCommand root, Assembly program)
        {
            root.HelpName = ProgramName;
            root.Add(HelpCommand(root));
            foreach (var option in root.Options)
            {
                if (option is HelpOption help)
                {
                    // "/?" and "/h" are Windows spellings; in bash they only clutter completion.
                    help.Aliases.Remove("/?");
                    help.Aliases.Remove("/h");
                    help.Action = new ListingHelpAction();
                }
                else if (option is VersionOption version)
                {
                    version.Action = new VersionAction(program);
                }
            }
        }

        /// <summary>The program's informational version (e.g. <c>1.0.0+3f0ab25…</c>).</summary>
        public static string Version(Assembly program) =>
            program.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? program.GetName().Version?.ToString()
            ?? "unknown";

        /// <summary><c>aether help [VERB]</c>, as <c>aether [VERB] --help</c> (hidden: for habit, not advertised).</summary>
        private static Command HelpCommand(RootCommand root)
        {
            var verb = new Argument<string?>("VERB") { Arity = ArgumentArity.ZeroOrOne, Description = "the verb to explain" };
            var command = new Command("help", "show help") { Hidden = true };
            command.Add(verb);
            command.SetAction(parse =>
            {
                string? name = parse.GetValue(verb);
                string[] args = name == null ? new[] { "--help" } : new[] { name, "--help" };
                return root.Parse(args).Invoke(parse.InvocationConfiguration);
            });
            return command;
        }

        private static string FirstLine(string? text)
        {
            string t = text ?? string.Empty;
            int nl = t.IndexOf('\n');
            return nl < 0 ? t : t.Substring(0, nl);
        }

        /// <summary>The root's help lists one line per verb; every other command gets the library's help.</summary>
        private sealed class ListingHelpAction : SynchronousCommandLineAction
        {
            private readonly HelpAction _full = new();

            public override bool ClearsParseErrors => true;

            public override int Invoke(ParseResult parseResult)
            {
                var command = parseResult.CommandResult.Command;
                if (command is not RootCommand)
                {
                    return _full.Invoke(parseResult);
                }

                var w = parseResult.InvocationConfiguration.Output;
                w.WriteLine(command.Description);
                w.WriteLine();
                w.WriteLine("Usage:");
                w.WriteLine("  " + ProgramName + " <command> [options]     (" + ProgramName + " <command> --help for details)");
                w.WriteLine();
                w.WriteLine("Commands:");
                int width = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name.Length).DefaultIfEmpty(0).Max() + 2;
                foreach (var verb in command.Subcommands.Where(c => !c.Hidden))
                {
                    w.WriteLine("  " + verb.Name.PadRight(width) + FirstLine(verb.Description));
                }

                w.WriteLine();
                w.WriteLine("Options:");
                var rows = command.Options.Where(o => !o.Hidden)
                    .Select(o => (Names: string.Join(", ", o.Aliases.Where(a => a.StartsWith('-')).OrderBy(a => a.Length).Append(o.Name).Distinct()), o.Description))
                    .ToList();
                int optionWidth = rows.Select(r => r.Names.Length).DefaultIfEmpty(0).Max() + 2;
                foreach (var (names, description) in rows)
                {
                    w.WriteLine("  " + names.PadRight(optionWidth) + FirstLine(description));
                }

                return CliHost.ExitOk;
            }
        }

        private sealed class VersionAction : SynchronousCommandLineAction
        {
            private readonly Assembly _program;

            public VersionAction(Assembly program)
            {
                _program = program;
            }

            public override bool ClearsParseErrors => true;

            public override int Invoke(ParseResult parseResult)
            {
                parseResult.InvocationConfiguration.Output.WriteLine(ProgramName + " " + Version(_program));
                return CliHost.ExitOk;
            }
        }
    }
}
