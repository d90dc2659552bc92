using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Planning;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary><c>aether plan</c>: shows where a file's shards would go on a set of devices.</summary>
    public sealed class PlanVerb : Command
    {
        private readonly SharedOptions _shared;
        private readonly Option<string?> _devices = CliOptions.Path(
            "--devices", "{\"devices\":[{\"id\",\"kind\",\"allocationBytes\",\"usedBytes\",\"alwaysOn\",\"batteryPercent\",\"pluggedIn\"," +
            "\"wifiOnly\",\"wifiConnected\"}]} with kinds desktop, laptop, mobile, hub, beacon", "FILE").AsRequired();

        private readonly Option<int> _shards = CliOptions.Int("--shards", "shards in the file (n)", 15, 1, PlacementPlanner.MaxShards);
        private readonly Option<long> _shardSize = CliOptions.Size(
            "--shard-size", "bytes per shard: 100000000, 100MB, 1GiB", 100 * StorageAllocation.Megabyte, min: 1);

        private readonly Option<int?> _dataShards = CliOptions.OptionalInt(
            "--data-shards", "shards that rebuild the file (k, default 10 or --shards if fewer)", 1, PlacementPlanner.MaxShards);

        private readonly Option<int> _tolerate = CliOptions.Int(
            "--tolerate", "device losses to survive when feasible", PlacementPlanner.DefaultTargetTolerance, 0, PlacementPlanner.MaxDevices);

        private readonly Option<string?> _current = CliOptions.Path(
            "--current", "a previous `plan --json` output: move as few shards as possible", "PLAN.json");

        public PlanVerb(SharedOptions shared, CliContext context)
            : base("plan", "show the shard placement for a set of devices (devices.json)\n" +
                "Missing device fields take the kind's defaults. The JSON output is {\"assignments\":{\"<id>\":[shard,...]},\n" +
                "\"scores\":{\"<id>\":n},\"toleratesDeviceLoss\":f,\"unplaced\":[{\"shard\":i,\"reason\":\"...\"}]}, with \"moved\"\n" +
                "and \"minimumMoves\" when --current is given.")
        {
            _shared = shared;
            Add(_devices);
            Add(_shards);
            Add(_shardSize);
            Add(_dataShards);
            Add(_tolerate);
            Add(_current);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            string devicesPath = parse.GetValue(_devices)!;
            int shards = parse.GetValue(_shards);
            long shardSize = parse.GetValue(_shardSize);
            int dataShards = parse.GetValue(_dataShards) ?? Math.Min(10, shards);
            int tolerate = parse.GetValue(_tolerate);
            string? currentPath = parse.GetValue(_current);
            bool json = parse.GetValue(_shared.Json);
            if (dataShards > shards)
            {
                throw new UsageException($"option --data-shards must be a whole number from 1 to {shards}, got '{dataShards}'");
            }

            DeviceProfile[] devices;
            try
            {
                devices = DevicesFile.Load(devicesPath);
            }
            catch (DevicesFileException e)
            {
                throw new UsageException(e.Message);
            }

            string?[]? current = currentPath == null ? null : LoadCurrent(currentPath, shards);

            PlacementPlan plan;
            try
            {
                plan = PlacementPlanner.Plan(devices, shards, shardSize, dataShards, tolerate, current);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            if (json)
            {
                context.Out.WriteLine(ToJson(plan, current));
            }
            else
            {
                WriteTable(context.Out, plan, devices, shardSize, current);
            }

            return CliHost.ExitOk;
        }

        public static string ToJson(PlacementPlan plan, string?[]? current)
        {
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteStartObject("assignments");
                for (int i = 0; i < plan.DeviceIds.Length; i++)
                {
                    w.WriteStartArray(plan.DeviceIds[i]);
                    foreach (int s in plan.ShardsOf(i))
                    {
                        w.WriteNumberValue(s);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                w.WriteStartObject("scores");
                for (int i = 0; i < plan.DeviceIds.Length; i++)
                {
                    w.WriteNumber(plan.DeviceIds[i], Math.Round(plan.Scores[i], 3));
                }

                w.WriteEndObject();
                w.WriteNumber("toleratesDeviceLoss", plan.ToleratesDeviceLoss);
                w.WriteStartArray("unplaced");
                for (int u = 0; u < plan.UnplacedShards.Length; u++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("shard", plan.UnplacedShards[u]);
                    w.WriteString("reason", plan.UnplacedReasons[u]);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                if (current != null)
                {
                    w.WriteNumber("moved", plan.CountMoves(current));
                    w.WriteNumber("minimumMoves", plan.MinimumMoves(current));
                }

                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static string?[] LoadCurrent(string path, int shards)
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"current plan '{path}' does not exist");
            }

            var holders = new string?[shards];
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                if (!doc.RootElement.TryGetProperty("assignments", out var a) || a.ValueKind != JsonValueKind.Object)
                {
                    throw new UsageException($"current plan '{path}' has no \"assignments\" object");
                }

                foreach (var device in a.EnumerateObject())
                {
                    if (device.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new UsageException($"current plan '{path}': assignments of '{device.Name}' is not an array");
                    }

                    foreach (var s in device.Value.EnumerateArray())
                    {
                        if (!s.TryGetInt32(out int shard) || shard < 0 || shard >= shards)
                        {
                            throw new UsageException($"current plan '{path}': '{device.Name}' lists shard {s} outside 0..{shards - 1}");
                        }

                        if (holders[shard] != null)
                        {
                            throw new UsageException($"current plan '{path}': shard {shard} is held by both '{holders[shard]}' and '{device.Name}'");
                        }

                        holders[shard] = device.Name;
                    }
                }
            }
            catch (JsonException e)
            {
                throw new UsageException($"current plan '{path}' is not valid JSON: {e.Message}");
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException($"current plan '{path}' is malformed: {e.Message}");
            }

            return holders;
        }

        private static void WriteTable(TextWriter o, PlacementPlan plan, DeviceProfile[] devices, long shardSize, string?[]? current)
        {
            var inv = CultureInfo.InvariantCulture;
            double total = plan.Scores.Sum();
            o.WriteLine($"{"device",-16} {"kind",-8} {"score",6} {"share",6} {"shards",6} {"bytes",10} {"free after",11}  shard indexes");
            for (int i = 0; i < devices.Length; i++)
            {
                var d = devices[i];
                long bytes = plan.Counts[i] * shardSize;
                string share = total > 0 ? (plan.Scores[i] * 100 / total).ToString("0.0", inv) + "%" : "-";
                o.WriteLine(string.Format(
                    inv,
                    "{0,-16} {1,-8} {2,6:0.0} {3,6} {4,6} {5,10} {6,11}  {7}",
                    d.Id,
                    StorageAllocation.KindName(d.Kind),
                    plan.Scores[i],
                    share,
                    plan.Counts[i],
                    SizeText.Format(bytes),
                    SizeText.Format(d.AvailableBytes - bytes),
                    string.Join(",", plan.ShardsOf(i))));
            }

            o.WriteLine();
            o.WriteLine(plan.ToleratesDeviceLoss >= 0
                ? $"survives the loss of any {plan.ToleratesDeviceLoss} device(s) (any {plan.DataShards} of {plan.ShardCount} shards rebuild the file)"
                : $"NOT recoverable: only {plan.Counts.Sum()} of the {plan.DataShards} shards needed could be placed");
            if (plan.UnplacedShards.Length > 0)
            {
                o.WriteLine($"unplaced: {plan.UnplacedShards.Length} shard(s): {plan.UnplacedReasons[0]}");
            }

            if (current != null)
            {
                o.WriteLine($"moves from current placement: {plan.CountMoves(current)} (minimum possible {plan.MinimumMoves(current)})");
            }
        }
    }
}
