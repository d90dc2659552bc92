using System.CommandLine;
using System.CommandLine.Parsing;

namespace AetherEdge.HostNode.Cli
{
    /// <summary>
    /// Turns System.CommandLine's parse errors into our one line: unknown options and stray arguments
    /// named as such, a missing value or argument said plainly, a bad value in the option's own words.
    /// </summary>
    public static class ParseErrors
    {
        /// <summary>The problem to print, without the <c>aether VERB:</c> prefix.</summary>
        public static string Describe(ParseResult parse)
        {
            var command = parse.CommandResult.Command;
            if (UnknownOptionTakenAsValue(parse) is string unknown)
            {
                return unknown;
            }

            if (parse.UnmatchedTokens.Count > 0)
            {
                string token = parse.UnmatchedTokens[0];
                if (command.Subcommands.Count > 0 && command.Arguments.Count == 0 && !token.StartsWith('-'))
                {
                    return command is RootCommand
                        ? $"unknown command '{token}' (try 'aether --help')"
                        : $"unknown command '{token}' (expected {Subcommands(command)})";
                }

                return token.Length > 1 && token.StartsWith('-') && !AfterDoubleDash(parse, token)
                    ? "unknown option " + token
                    : $"unexpected argument '{token}'";
            }

            foreach (var option in command.Options)
            {
                if (option.Required && parse.GetResult(option) is not { IdentifierToken: not null })
                {
                    return "missing required option " + option.Name;
                }
            }

            var error = parse.Errors[0];
            switch (error.SymbolResult)
            {
                case OptionResult o when o.IdentifierTokenCount > 1 && o.Option.Arity.MaximumNumberOfValues == 1:
                    return $"option {o.Option.Name} given twice";
                case OptionResult o when o.Tokens.Count == 0 && o.Option.Arity.MinimumNumberOfValues > 0:
                    return $"option {o.Option.Name} needs a value";
                case ArgumentResult a when a.Tokens.Count == 0:
                    return $"missing {a.Argument.Name}" + (a.Argument.Description is { Length: > 0 } d ? " (" + d + ")" : string.Empty);
                case CommandResult c when c.Command.Subcommands.Count > 0 && c.Command.Action == null:
                    return $"missing command ({Subcommands(c.Command)})";
                default:
                    return error.Message;
            }
        }

        /// <summary>
        /// An unknown option the parser took as a value: System.CommandLine lets <c>--bogus</c> fill a free
        /// argument slot or the value of the option before it. Null when there is none. A lone <c>-</c>
        /// (stdin/stdout) and anything after <c>--</c> are values.
        /// </summary>
        public static string? UnknownOptionTakenAsValue(ParseResult parse)
        {
            bool afterDashes = false;
            Token? previous = null;
            foreach (var t in parse.Tokens)
            {
                if (t.Type == TokenType.Directive)
                {
                    // [suggest:N] "LINE": the line is text to complete, not arguments.
                    return null;
                }

                if (t.Type == TokenType.DoubleDash)
                {
                    afterDashes = true;
                }
                else if (!afterDashes && t.Type == TokenType.Argument && t.Value.Length > 1 && t.Value.StartsWith('-'))
                {
                    // An option's value may start with one dash (a negative number); "--x" never is one.
                    bool optionValue = previous is { Type: TokenType.Option };
                    if (!optionValue || t.Value.StartsWith("--", StringComparison.Ordinal))
                    {
                        return "unknown option " + t.Value;
                    }
                }

                previous = t;
            }

            return null;
        }

        /// <summary>True when nothing but a missing command was wrong at the root (plain <c>aether</c>).</summary>
        public static bool IsBareRoot(ParseResult parse) =>
            parse.CommandResult.Command is RootCommand && parse.UnmatchedTokens.Count == 0 && parse.Tokens.Count == 0;

        private static string Subcommands(Command command) =>
            string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));

        private static bool AfterDoubleDash(ParseResult parse, string token)
        {
            bool dashes = false;
            foreach (var t in parse.Tokens)
            {
                if (t.Type == TokenType.DoubleDash)
                {
                    dashes = true;
                }
                else if (t.Value == token)
                {
                    return dashes;
                }
            }

            return false;
        }
    }
}
