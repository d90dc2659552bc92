using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether trust add|list|remove</c>: edits the trust circle.</summary>
    public sealed class TrustVerb : IVerb, IHasFlags
    {
        public string Name => "trust";

        public string Summary => "add, list or remove devices in the trust circle";

        public string Usage =>
            "usage: aether trust add ID [--name N] [--home DIR]\n" +
            "       aether trust list [--json] [--home DIR]\n" +
            "       aether trust remove ID [--home DIR]\n" +
            "  Only devices in the circle may connect and exchange shards. `aether pair` adds both sides\n" +
            "  without typing IDs.";

        public ICollection<string> Flags => new[] { "json" };

        public int Run(CommandLine args, CliContext context)
        {
            string action = args.Positional(0, "action (add, list or remove)");
            string home = HomeDirectory.Resolve(args.String("home"));
            var circle = new TrustCircle(home);
            switch (action)
            {
                case "add":
                {
                    var id = ParseId(args.Positional(1, "device ID to add"));
                    string? name = args.String("name");
                    args.EnsureAllUsed(2);
                    if (NodeIdentity.Exists(home))
                    {
                        using var self = NodeIdentity.LoadOrCreate(home);
                        if (self.DeviceId == id)
                        {
                            throw new UsageException("that is this node's own device ID");
                        }
                    }

                    bool changed = circle.Add(id, name, DateTimeOffset.UtcNow);
                    context.Out.WriteLine((changed ? "trusted " : "already trusted ") + id.Text + " (" + circle.NameOf(id) + ")");
                    return CliHost.ExitOk;
                }

                case "remove":
                {
                    var id = ParseId(args.Positional(1, "device ID to remove"));
                    args.EnsureAllUsed(2);
                    if (!circle.Remove(id))
                    {
                        throw new UsageException("device " + id.Text + " is not in the trust circle");
                    }

                    context.Out.WriteLine("removed " + id.Text);
                    return CliHost.ExitOk;
                }

                case "list":
                {
                    bool json = args.Flag("json");
                    args.EnsureAllUsed(1);
                    var members = circle.Members;
                    if (json)
                    {
                        var rows = members.Select(m => new Dictionary<string, string>
                        {
                            ["id"] = m.Id.Text,
                            ["name"] = m.Name,
                            ["added"] = m.Added.ToString("o"),
                        }).ToList();
                        context.Out.WriteLine(JsonSerializer.Serialize(rows));
                    }
                    else if (members.Count == 0)
                    {
                        context.Out.WriteLine("trust circle is empty (add with `aether trust add ID` or `aether pair`)");
                    }
                    else
                    {
                        foreach (var m in members)
                        {
                            context.Out.WriteLine(m.Id.Text + "  " + m.Added.ToString("yyyy-MM-dd") + "  " + m.Name);
                        }
                    }

                    return CliHost.ExitOk;
                }

                default:
                    throw new UsageException("unknown action '" + action + "' (expected add, list or remove)");
            }
        }

        private static DeviceId ParseId(string text)
        {
            if (!DeviceId.TryParse(text, out var id, out string error))
            {
                throw new UsageException(error);
            }

            return id;
        }
    }
}
