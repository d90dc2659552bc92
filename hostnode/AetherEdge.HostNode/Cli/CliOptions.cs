using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace AetherEdge.HostNode.Cli
{
    /// <summary>
    /// Typed options, each declared once with its default, range and help. A bad value becomes a
    /// parse error whose message names the option; <see cref="ParseErrors"/> prints it as the one line.
    /// </summary>
    public static class CliOptions
    {
        /// <summary>What <c>-</c> stands for where a path may be stdin or stdout.</summary>
        public const string StandardStream = "-";

        /// <summary>A switch that takes no value (<c>--json</c>).</summary>
        public static Option<bool> Flag(string name, string description) =>
            new(name) { Description = description, Arity = ArgumentArity.Zero };

        public static Option<int> Int(string name, string description, int defaultValue, int min, int max) =>
            new(name)
            {
                Description = description,
                HelpName = "N",
                DefaultValueFactory = _ => defaultValue,
                CustomParser = r => ParseInt(r, name, min, max) ?? defaultValue,
            };

        /// <summary>An int whose default depends on other input (null when not given).</summary>
        public static Option<int?> OptionalInt(string name, string description, int min, int max) =>
            new(name) { Description = description, HelpName = "N", CustomParser = r => ParseInt(r, name, min, max) };

        public static Option<double?> OptionalDouble(string name, string description, double min, double max, string helpName = "X") =>
            new(name)
            {
                Description = description,
                HelpName = helpName,
                CustomParser = r =>
                {
                    string s = Single(r);
                    if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= min && v <= max))
                    {
                        r.AddError($"option {name} must be a number from {Invariant(min)} to {Invariant(max)}, got '{s}'");
                        return null;
                    }

                    return v;
                },
            };

        public static Option<double> Double(string name, string description, double defaultValue, double min, double max, string helpName = "X")
        {
            var optional = OptionalDouble(name, description, min, max, helpName);
            return new Option<double>(name)
            {
                Description = description,
                HelpName = helpName,
                DefaultValueFactory = _ => defaultValue,
                CustomParser = r => optional.CustomParser!(r) ?? defaultValue,
            };
        }

        /// <summary>A byte size: <c>500MB</c>, <c>1GB</c>, <c>100GiB</c> or plain bytes (<see cref="SizeText"/>).</summary>
        public static Option<long?> OptionalSize(string name, string description, long min = 0, long max = long.MaxValue) =>
            new(name) { Description = description, HelpName = "SIZE", CustomParser = r => ParseSize(r, name, min, max) };

        public static Option<long> Size(string name, string description, long defaultValue, long min = 0, long max = long.MaxValue) =>
            new(name)
            {
                Description = description,
                HelpName = "SIZE",
                DefaultValueFactory = _ => defaultValue,
                CustomParser = r => ParseSize(r, name, min, max) ?? defaultValue,
            };

        /// <summary>Free text that must not be empty or blank.</summary>
        public static Option<string?> Text(string name, string description, string helpName = "TEXT") =>
            new(name)
            {
                Description = description,
                HelpName = helpName,
                CustomParser = r =>
                {
                    string s = Single(r);
                    if (s.Trim().Length == 0)
                    {
                        r.AddError($"option {name} must not be empty");
                        return null;
                    }

                    return s;
                },
            };

        /// <summary>A file or directory path: not empty, and not <c>-</c> (these options never mean stdin/stdout).</summary>
        public static Option<string?> Path(string name, string description, string helpName = "PATH") =>
            new(name)
            {
                Description = description,
                HelpName = helpName,
                CustomParser = r =>
                {
                    string s = Single(r);
                    if (s.Trim().Length == 0)
                    {
                        r.AddError($"option {name} must not be empty");
                        return null;
                    }

                    if (s == StandardStream)
                    {
                        r.AddError($"option {name} names a file or directory; '-' (stdin/stdout) makes no sense here");
                        return null;
                    }

                    return s;
                },
            };

        public static Option<IPAddress?> Address(string name, string description) =>
            new(name)
            {
                Description = description,
                HelpName = "IP",
                CustomParser = r =>
                {
                    string s = Single(r);
                    if (!IPAddress.TryParse(s, out var ip))
                    {
                        r.AddError($"option {name} must be an IP address, got '{s}'");
                        return null;
                    }

                    return ip;
                },
            };

        /// <summary>A comma-separated list of <c>IP:PORT</c> or <c>HOST:PORT</c> (port not 0); host names are resolved now (IPv4 first).</summary>
        public static Option<IPEndPoint[]?> Endpoints(string name, string description) =>
            new(name)
            {
                Description = description,
                HelpName = "HOST:PORT,...",
                CustomParser = r =>
                {
                    var list = new List<IPEndPoint>();
                    foreach (string p in Single(r).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        string? error = TryEndpoint(p, out var ep);
                        if (error != null)
                        {
                            r.AddError($"option {name} takes IP:PORT or HOST:PORT entries separated by commas, got '{p}'{error}");
                            return null;
                        }

                        list.Add(ep!);
                    }

                    return list.ToArray();
                },
            };

        /// <summary>Null and the endpoint, or what is wrong with <paramref name="text"/> (", ..." to append).</summary>
        private static string? TryEndpoint(string text, out IPEndPoint? endPoint)
        {
            endPoint = null;
            if (IPEndPoint.TryParse(text, out var ep))
            {
                endPoint = ep;
                return ep.Port == 0 ? ": port 0" : null;
            }

            int colon = text.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
            {
                return ": no port 1-65535";
            }

            string host = text.Substring(0, colon);
            if (Uri.CheckHostName(host) != UriHostNameType.Dns)
            {
                return ": '" + host + "' is not a host name";
            }

            try
            {
                var addresses = System.Net.Dns.GetHostAddresses(host);
                var ip = addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
                if (ip == null)
                {
                    return ": host '" + host + "' has no address";
                }

                endPoint = new IPEndPoint(ip, port);
                return null;
            }
            catch (System.Net.Sockets.SocketException e)
            {
                return ": cannot resolve '" + host + "' (" + e.Message + ")";
            }
        }

        /// <summary>One of a fixed set of words (case-insensitive); completion offers them.</summary>
        public static Option<T?> Choice<T>(string name, string description, IReadOnlyList<(string Word, T Value)> choices)
            where T : struct
        {
            string words = string.Join(", ", choices.Select(c => c.Word));
            var option = new Option<T?>(name)
            {
                Description = description + " (" + words + ")",
                HelpName = string.Join("|", choices.Select(c => c.Word)),
                CustomParser = r =>
                {
                    string s = Single(r);
                    foreach (var (word, value) in choices)
                    {
                        if (string.Equals(word, s.Trim(), StringComparison.OrdinalIgnoreCase))
                        {
                            return value;
                        }
                    }

                    r.AddError($"option {name} must be one of {words}, got '{s}'");
                    return null;
                },
            };
            option.CompletionSources.Clear();
            option.CompletionSources.Add(choices.Select(c => c.Word).ToArray());
            return option;
        }

        /// <summary>Marks <paramref name="option"/> required: missing, it is reported as "missing required option".</summary>
        public static Option<T> AsRequired<T>(this Option<T> option)
        {
            option.Required = true;
            return option;
        }

        /// <summary>True when the user typed <paramref name="option"/> (not just its default).</summary>
        public static bool WasGiven(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

        private static string Single(ArgumentResult r) => r.Tokens.Count == 0 ? string.Empty : r.Tokens[r.Tokens.Count - 1].Value;

        private static int? ParseInt(ArgumentResult r, string name, int min, int max)
        {
            string s = Single(r);
            if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            {
                r.AddError($"option {name} must be a whole number from {min} to {max}, got '{s}'");
                return null;
            }

            return v;
        }

        private static long? ParseSize(ArgumentResult r, string name, long min, long max)
        {
            string s = Single(r);
            if (!SizeText.TryParse(s, out long v))
            {
                r.AddError($"option {name} must be a size such as 500MB, 1GB or 100GiB, got '{s}'");
                return null;
            }

            if (v < min || v > max)
            {
                r.AddError(max == long.MaxValue
                    ? $"option {name} must be at least {min} bytes, got '{s}'"
                    : $"option {name} must be from {min} to {max} bytes, got '{s}'");
                return null;
            }

            return v;
        }

        private static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
