using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether id</c>: prints this home's device ID (creating the key pair on first use).</summary>
    public sealed class IdVerb : IVerb, IHasFlags
    {
        public string Name => "id";

        public string Summary => "print this node's device ID (share it to be trusted)";

        public string Usage =>
            "usage: aether id [--home DIR] [--json]\n" +
            "  Prints the device ID: SHA-256 of the node's public key, base32, 8 groups of 4 + 1 check char.\n" +
            "  The key pair and self-signed certificate are created in HOME/identity/ on first use.";

        public ICollection<string> Flags => new[] { "json" };

        public int Run(CommandLine args, CliContext context)
        {
            string home = HomeDirectory.Resolve(args.String("home"));
            bool json = args.Flag("json");
            args.EnsureAllUsed(0);
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
