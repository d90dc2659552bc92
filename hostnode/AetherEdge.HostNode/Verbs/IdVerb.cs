using System.CommandLine;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether id</c>: prints this home's device ID (creating the key pair on first use).</summary>
    public sealed class IdVerb : Command
    {
        private readonly SharedOptions _shared;

        public IdVerb(SharedOptions shared, CliContext context)
            : base("id", "print this node's device ID (share it to be trusted)\n" +
                "The ID is the SHA-256 of the node's public key in base32: 8 groups of 4 and 1 check character.\n" +
                "The key pair and self-signed certificate are created in HOME/identity/ on first use;\n" +
                "the home must have been made by `aether init` (or `aether hub`).")
        {
            _shared = shared;
            Add(shared.Home);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            bool json = parse.GetValue(_shared.Json);
            string home = StoreVerbSupport.OpenHome(_shared, parse, writes: !NodeIdentity.Exists(_shared.HomePath(parse))).Path;
            using var identity = NodeIdentity.LoadOrCreate(home);
            if (json)
            {
                context.Out.WriteLine("{\"id\":\"" + identity.DeviceId.Text + "\",\"home\":" +
                    System.Text.Json.JsonSerializer.Serialize(home) + "}");
            }
            else
            {
                context.Out.WriteLine(identity.DeviceId.Text);
            }

            return CliHost.ExitOk;
        }
    }
}
