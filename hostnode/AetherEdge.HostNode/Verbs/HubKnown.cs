using System.Globalization;
using System.Text.Json;
using AetherEdge.HostNode.Dashboard;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// One node a running hub knows, as <c>aether peers</c> lists it: a BLE node it heard advertising ("ble", one
    /// hop), or a kit device with the transports the hub reaches it by (hops through the mesh).
    /// </summary>
    internal sealed record HubKnown(string Name, string Id, string Kind, string Transport, int? Hops, double? AgeSeconds, string? Battery, string? Power)
    {
        public static List<HubKnown> From(KitNodes kit)
        {
            var rows = new List<HubKnown>();
            foreach (var b in kit.Beacons.OrderBy(b => b.NodeId, StringComparer.Ordinal))
            {
                rows.Add(new HubKnown((b.Name ?? "node") + " " + b.NodeId, b.NodeId, b.Kind, b.Transport + (b.Connected ? "" : " (heard)"), b.Hops,
                    b.LastSeenSecondsAgo, b.Battery, b.Power + (b.AcceptsBulk ? "" : ", not relaying shards")));
            }

            foreach (var d in kit.Devices.Where(d => !d.Self))
            {
                rows.Add(new HubKnown(d.Name, d.Id, d.Kind, d.Transports.Length == 0 ? "none now" : string.Join("; ", d.Transports), d.Hops,
                    d.LastSeenSecondsAgo, d.Battery, d.Power));
            }

            return rows;
        }

        public static void WriteTable(TextWriter output, IReadOnlyList<HubKnown> rows, string hub)
        {
            output.WriteLine("Known to the hub at " + hub + " (BLE nodes heard, kit devices):");
            if (rows.Count == 0)
            {
                output.WriteLine("nothing yet");
                return;
            }

            output.WriteLine($"{"NAME",-28} {"KIND",-8} {"HOPS",4} {"AGE",7} {"BATTERY",-10} {"POWER",-31} TRANSPORT");
            foreach (var r in rows)
            {
                string hops = r.Hops is int h ? h.ToString(CultureInfo.InvariantCulture) : "-";
                string age = r.AgeSeconds is double a ? Math.Round(a).ToString(CultureInfo.InvariantCulture) + " s" : "-";
                output.WriteLine($"{r.Name,-28} {r.Kind,-8} {hops,4} {age,7} {r.Battery ?? "-",-10} {r.Power ?? "-",-31} {r.Transport}");
            }
        }

        /// <summary>One JSON object beside the mDNS entries of <c>aether peers --json</c>, told apart by <c>source: "hub"</c>.</summary>
        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("source", "hub");
            w.WriteString("instance", Name);
            w.WriteString("id", Id);
            w.WriteString("deviceKind", Kind);
            w.WriteString("transport", Transport);
            WriteNumber(w, "hops", Hops);
            if (AgeSeconds is double age)
            {
                w.WriteNumber("ageSeconds", age);
            }
            else
            {
                w.WriteNull("ageSeconds");
            }

            w.WriteString("battery", Battery);
            w.WriteString("power", Power);
            w.WriteEndObject();
        }

        private static void WriteNumber(Utf8JsonWriter w, string name, int? value)
        {
            if (value is int v)
            {
                w.WriteNumber(name, v);
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }
}
