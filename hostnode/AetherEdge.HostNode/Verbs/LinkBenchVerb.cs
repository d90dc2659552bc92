using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AetherEdge.Core.Gatt;
using AetherEdge.Core.Relay;
using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.LinkBench;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether link-bench</c>: simulated per-hop efficiency of the BLE GATT shard transfer.</summary>
    public sealed class LinkBenchVerb : Command
    {
        private static readonly int[] s_defaultMtus = { GattLimits.MinAttMtu, GattLimits.IosMaxAttMtu, 247, GattLimits.MaxAttMtu };
        private static readonly double[] s_defaultLosses = { 0.0, 0.05, 0.10 };

        private readonly SharedOptions _shared;
        private readonly Option<int?> _mtu = CliOptions.OptionalInt(
            "--mtu", "one ATT MTU (default: 23, 185, 247 and 517)", GattLimits.MinAttMtu, GattLimits.MaxAttMtu);

        private readonly Option<double?> _loss = CliOptions.OptionalDouble(
            "--loss", "loss probability per ATT value (default: 0, 0.05 and 0.10)", 0, 0.5, "P");

        private readonly Option<long> _shard = CliOptions.Size(
            "--shard-size", "shard bytes in the routed packet (at most one routed packet)", 64000, 1, RoutingLimits.MaxPayloadBytes - ShardEnvelope.HeaderBytes);

        private readonly Option<int> _seed = CliOptions.Int("--seed", "loss pattern seed", 1, 0, int.MaxValue);

        public LinkBenchVerb(SharedOptions shared, CliContext context)
            : base("link-bench", "simulated per-hop efficiency of the BLE GATT shard transfer (payload / link bytes)")
        {
            _shared = shared;
            Add(_mtu);
            Add(_loss);
            Add(_shard);
            Add(_seed);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            int[] mtus = parse.GetValue(_mtu) is int oneMtu ? new[] { oneMtu } : s_defaultMtus;
            // + 0.0 turns -0 into 0 (printed "-0 %" otherwise).
            double[] losses = parse.GetValue(_loss) is double oneLoss ? new[] { oneLoss + 0.0 } : s_defaultLosses;
            long shard = parse.GetValue(_shard);
            int seed = parse.GetValue(_seed);
            bool json = parse.GetValue(_shared.Json);
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
                    mtu = r.Mtu,
                    loss = r.Loss,
                    shardBytes = r.ShardBytes,
                    values = r.Values,
                    retransmissions = r.Retransmissions,
                    attBytes = r.AttBytes,
                    airBytes = r.AirBytes,
                    efficiency = Math.Round(r.Efficiency, 4),
                    attHeaderShare = Math.Round(r.AttHeaderShare, 4),
                    protocolShare = Math.Round(r.ProtocolShare, 4),
                    airEfficiency = Math.Round(r.AirEfficiency, 4),
                    completed = r.Completed,
                }), new JsonSerializerOptions { WriteIndented = true }));
                return Outcome(rows, context);
            }

            context.Out.WriteLine("  MTU  loss  values  retx  ATT bytes  payload/ATT  ATT hdr  ours(hdr+ack+retx)  payload/air  done");
            foreach (HopFigures r in rows)
            {
                context.Out.WriteLine(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0,5} {1,5:P0} {2,7} {3,5} {4,10} {5,12:P1} {6,8:P1} {7,19:P1} {8,12:P1}  {9}",
                    r.Mtu, r.Loss, r.Values, r.Retransmissions, r.AttBytes, r.Efficiency, r.AttHeaderShare, r.ProtocolShare, r.AirEfficiency,
                    r.Completed ? "yes" : "FAILED (a fragment lost 4 times)"));
            }

            context.Out.WriteLine("goal: payload/ATT >= 85 %, overhead <= 3 %; loss is i.i.d. per ATT value (real BLE retransmits at the link layer)");
            return Outcome(rows, context);
        }

        /// <summary>A run in which a transfer did not complete is a failed run: said on stderr, exit 1.</summary>
        private static int Outcome(List<HopFigures> rows, CliContext context)
        {
            var failed = rows.Where(r => !r.Completed).ToList();
            if (failed.Count == 0)
            {
                return CliHost.ExitOk;
            }

            context.Error.WriteLine("aether link-bench: " + failed.Count + " of " + rows.Count + " transfers failed (" +
                string.Join(", ", failed.Select(r => "MTU " + r.Mtu + " at loss " + r.Loss.ToString("0.##", CultureInfo.InvariantCulture))) +
                "): a fragment was lost 4 times; figures for those rows are not a completed transfer");
            return CliHost.ExitFailure;
        }
    }
}
