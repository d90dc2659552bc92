using System.Globalization;
using System.Text.Json;
using AetherEdge.Core.Gatt;
using AetherEdge.Core.Routing;
using AetherEdge.Core.Relay;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.LinkBench;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether link-bench</c>: simulated per-hop efficiency of the BLE GATT shard transfer.</summary>
    public sealed class LinkBenchVerb : IVerb, IHasFlags
    {
        private static readonly int[] s_defaultMtus = { GattLimits.MinAttMtu, GattLimits.IosMaxAttMtu, 247, GattLimits.MaxAttMtu };
        private static readonly double[] s_defaultLosses = { 0.0, 0.05, 0.10 };

        public string Name => "link-bench";

        public string Summary => "simulated per-hop efficiency of the BLE GATT shard transfer (payload / link bytes)";

        public string Usage => """
            usage: aether link-bench [--mtu N] [--loss P] [--shard-size SIZE] [--seed N] [--json]

              --mtu N           one ATT MTU (23..517); default: 23, 185, 247 and 517
              --loss P          loss probability per ATT value (0..0.5); default: 0, 0.05 and 0.10
              --shard-size SIZE shard bytes in the routed packet (default 64000, max 65483)
              --seed N          loss pattern seed (default 1)
              --json            machine-readable output
            """;

        public ICollection<string> Flags { get; } = new[] { "json" };

        public int Run(CommandLine args, CliContext context)
        {
            int maxShard = RoutingLimits.MaxPayloadBytes - ShardEnvelope.HeaderBytes;
            int[] mtus = args.Has("mtu") ? new[] { args.Int("mtu", 247, GattLimits.MinAttMtu, GattLimits.MaxAttMtu) } : s_defaultMtus;
            double[] losses = args.Has("loss") ? new[] { args.Double("loss", 0, 0, 0.5) } : s_defaultLosses;
            long shard = args.Size("shard-size", 64000);
            int seed = args.Int("seed", 1, 0, int.MaxValue);
            bool json = args.Flag("json");
            args.EnsureAllUsed(0);
            if (shard < 1 || shard > maxShard)
            {
                throw new UsageException("option --shard-size must be 1.." + maxShard + " bytes (one routed packet)");
            }

            var rows = new List<HopFigures>();
            foreach (int mtu in mtus)
            {
                foreach (double loss in losses)
                {
                    rows.Add(GattHopEfficiency.Measure(mtu, loss, (int)shard, seed));
                }
            }

            if (json)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
                {
                    mtu = r.Mtu, loss = r.Loss, shardBytes = r.ShardBytes, values = r.Values, retransmissions = r.Retransmissions,
                    attBytes = r.AttBytes, airBytes = r.AirBytes, efficiency = Math.Round(r.Efficiency, 4),
                    attHeaderShare = Math.Round(r.AttHeaderShare, 4), protocolShare = Math.Round(r.ProtocolShare, 4),
                    airEfficiency = Math.Round(r.AirEfficiency, 4), completed = r.Completed,
                }), new JsonSerializerOptions { WriteIndented = true }));
                return CliHost.ExitOk;
            }

            context.Out.WriteLine("  MTU  loss  values  retx  ATT bytes  payload/ATT  ATT hdr  ours(hdr+ack+retx)  payload/air  done");
            foreach (HopFigures r in rows)
            {
                context.Out.WriteLine(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0,5} {1,5:P0} {2,7} {3,5} {4,10} {5,12:P1} {6,8:P1} {7,19:P1} {8,12:P1}  {9}",
                    r.Mtu, r.Loss, r.Values, r.Retransmissions, r.AttBytes, r.Efficiency, r.AttHeaderShare, r.ProtocolShare, r.AirEfficiency,
                    r.Completed ? "yes" : "failed (a fragment lost 4 times; the router retransmits)"));
            }

            context.Out.WriteLine("goal: payload/ATT >= 85 %, overhead <= 3 %; loss is i.i.d. per ATT value (real BLE retransmits at the link layer)");
            return CliHost.ExitOk;
        }
    }
}
