using System.CommandLine;
using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether trust add|list|remove</c>: edits the trust circle.</summary>
    public sealed class TrustVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Argument<string> _addId = new("ID") { Description = "the device ID to trust, as the other device's `aether id` prints it" };
        private readonly Argument<string> _removeId = new("ID") { Description = "the device ID to remove" };
        private readonly Option<string?> _name = CliOptions.Text("--name", "what to call the device (default: its ID)", "NAME");

        public TrustVerb(SharedOptions shared, CliContext context)
            : base("trust", "add, list or remove devices in the trust circle\n" +
                "Only devices in the circle may connect and exchange shards. `aether pair` adds both sides\n" +
                "without typing IDs.")
        {
            _shared = shared;
            var add = new Command("add", "trust a device by its ID") { _addId, _name, shared.Home };
            add.SetAction(parse => RunAdd(parse, context));
            var list = new Command("list", "list the trusted devices") { shared.Json, shared.Home };
            list.SetAction(parse => RunList(parse, context));
            var remove = new Command("remove", "stop trusting a device") { _removeId, shared.Home };
            remove.SetAction(parse => RunRemove(parse, context));
            Add(add);
            Add(list);
            Add(remove);
        }

        private int RunAdd(ParseResult parse, CliContext context)
        {
            var id = ParseId(parse.GetValue(_addId)!);
            string home = StoreVerbSupport.OpenHome(_shared, parse, writes: true).Path;
            var circle = new TrustCircle(home);
            if (NodeIdentity.Exists(home))
            {
                using var self = NodeIdentity.LoadOrCreate(home);
                if (self.DeviceId == id)
                {
                    throw new UsageException("that is this node's own device ID");
                }
            }

            bool changed = circle.Add(id, parse.GetValue(_name), DateTimeOffset.UtcNow);
            context.Out.WriteLine((changed ? "trusted " : "already trusted ") + id.Text + " (" + circle.NameOf(id) + ")");
            return CliHost.ExitOk;
        }

        private int RunRemove(ParseResult parse, CliContext context)
        {
            var id = ParseId(parse.GetValue(_removeId)!);
            var circle = new TrustCircle(StoreVerbSupport.OpenHome(_shared, parse, writes: true).Path);
            if (!circle.Remove(id))
            {
                throw new UsageException("device " + id.Text + " is not in the trust circle");
            }

            context.Out.WriteLine("removed " + id.Text);
            return CliHost.ExitOk;
        }

        private int RunList(ParseResult parse, CliContext context)
        {
            bool json = parse.GetValue(_shared.Json);
            var circle = new TrustCircle(StoreVerbSupport.OpenHome(_shared, parse, writes: false).Path);
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
