using System.Globalization;

namespace AetherEdge.HostNode.Cli
{
    /// <summary>
    /// Parsed arguments of one verb: <c>--name value</c>, <c>--flag</c> and positionals.
    /// Typed getters turn bad values into <see cref="UsageException"/> naming the option.
    /// </summary>
    public sealed class CommandLine
    {
        private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        private CommandLine(IReadOnlyList<string> positionals)
        {
            Positionals = positionals;
        }

        public IReadOnlyList<string> Positionals { get; }

        /// <summary>Parses <paramref name="args"/>; options listed in <paramref name="flags"/> take no value.</summary>
        public static CommandLine Parse(IReadOnlyList<string> args, ICollection<string> flags)
        {
            var positionals = new List<string>();
            var options = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (int i = 0; i < args.Count; i++)
            {
                string a = args[i];
                if (a == "--")
                {
                    for (i++; i < args.Count; i++)
                    {
                        positionals.Add(args[i]);
                    }

                    break;
                }

                if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
                {
                    string name = a.Substring(2);
                    string? value = null;
                    int eq = name.IndexOf('=');
                    if (eq >= 0)
                    {
                        value = name.Substring(eq + 1);
                        name = name.Substring(0, eq);
                    }
                    else if (!flags.Contains(name))
                    {
                        if (i + 1 >= args.Count)
                        {
                            throw new UsageException($"option --{name} needs a value");
                        }

                        value = args[++i];
                    }

                    if (options.ContainsKey(name))
                    {
                        throw new UsageException($"option --{name} given twice");
                    }

                    options[name] = value;
                }
                else if (a == "-o" && i + 1 < args.Count)
                {
                    options["output"] = args[++i];
                }
                else
                {
                    positionals.Add(a);
                }
            }

            var line = new CommandLine(positionals);
            foreach (var kv in options)
            {
                line._options[kv.Key] = kv.Value;
            }

            return line;
        }

        public bool Has(string name)
        {
            _read.Add(name);
            return _options.ContainsKey(name);
        }

        public bool Flag(string name) => Has(name);

        public string? String(string name)
        {
            _read.Add(name);
            return _options.TryGetValue(name, out var v) ? v : null;
        }

        public string RequiredString(string name) =>
            String(name) ?? throw new UsageException($"missing required option --{name}");

        public int Int(string name, int defaultValue, int min, int max)
        {
            string? s = String(name);
            if (s == null)
            {
                return defaultValue;
            }

            if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            {
                throw new UsageException($"option --{name} must be a whole number from {min} to {max}, got '{s}'");
            }

            return v;
        }

        public double Double(string name, double defaultValue, double min, double max)
        {
            string? s = String(name);
            if (s == null)
            {
                return defaultValue;
            }

            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < min || v > max)
            {
                throw new UsageException($"option --{name} must be a number from {min} to {max}, got '{s}'");
            }

            return v;
        }

        /// <summary>A size such as <c>100MB</c>, <c>1GB</c>, <c>100GiB</c> or plain bytes.</summary>
        public long Size(string name, long defaultValue)
        {
            string? s = String(name);
            if (s == null)
            {
                return defaultValue;
            }

            if (!SizeText.TryParse(s, out long v))
            {
                throw new UsageException($"option --{name} must be a size such as 500MB, 1GB or 100GiB, got '{s}'");
            }

            return v;
        }

        public string Positional(int index, string what)
        {
            if (index >= Positionals.Count)
            {
                throw new UsageException($"missing {what}");
            }

            return Positionals[index];
        }

        /// <summary>Rejects options the verb never asked about (typos must not pass silently).</summary>
        public void EnsureAllUsed(int maxPositionals)
        {
            foreach (var name in _options.Keys)
            {
                if (!_read.Contains(name))
                {
                    throw new UsageException($"unknown option --{name}");
                }
            }

            if (Positionals.Count > maxPositionals)
            {
                throw new UsageException($"unexpected argument '{Positionals[maxPositionals]}'");
            }
        }
    }
}
