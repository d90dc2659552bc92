using System.Globalization;
using AetherEdge.Core.Allocation;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// The dashboard's kit and files views as terminal text (<c>aether status --mesh</c>, <c>aether ls</c>),
    /// rendered from the same <see cref="KitSnapshot"/> the page draws.
    /// </summary>
    public static class KitText
    {
        /// <summary>Marks a file at risk or unreadable at the start of its line.</summary>
        public const string RiskMark = "!";

        /// <summary>True when one more device loss (or none) can leave the file unreadable.</summary>
        public static bool AtRisk(FileRow f) => f.State is "at risk" or "unreadable";

        /// <summary>"survives 2 device losses · 15/15 placed", "AT RISK: survives no loss · 12/15 placed · repairing".</summary>
        public static string Protection(FileRow f)
        {
            string placed = f.Placed + "/" + f.Planned + " placed" + (f.Planned < f.TotalShards ? " (" + f.TotalShards + " shards, plan places " + f.Planned + ")" : string.Empty);
            string text = f.State switch
            {
                "unreadable" => "UNREADABLE now: " + f.Available + " of " + f.DataShards + " needed shards reachable",
                "at risk" => "AT RISK: survives no device loss · " + placed,
                "checking" => "checking (peers' inventories pending) · " + placed,
                _ => "survives " + Losses(f.SurvivesLosses) + " · " + placed,
            };
            return f.Repairing ? text + " · repairing" : text;
        }

        /// <summary>The kit view: one line per device, then this hub's last skip.</summary>
        public static void WriteDevices(TextWriter o, KitSnapshot kit)
        {
            int online = kit.Devices.Count(d => d.Online);
            o.WriteLine("KIT: " + kit.Devices.Length + (kit.Devices.Length == 1 ? " device, " : " devices, ") + online + " online");
            var rows = new List<string[]> { new[] { "DEVICE", "KIND", "SEEN", "BATTERY", "USED / ALLOCATED", "SHARDS", "LAST SYNC", "REACHED BY" } };
            foreach (var d in kit.Devices)
            {
                rows.Add(new[]
                {
                    (d.Self ? "* " : "  ") + d.Name,
                    d.Kind,
                    d.Self ? "this hub" : d.Online ? "online" : d.LastSeenSecondsAgo is double s ? Ago(s) : "never",
                    (d.Battery ?? "?") + (d.Power != null ? ", " + d.Power : string.Empty),
                    d.UsedBytes is long used && d.AllocationBytes is long alloc ? ByteCount.Format(used) + " / " + ByteCount.Format(alloc) : "?",
                    d.ShardsHeld?.ToString(CultureInfo.InvariantCulture) ?? "?",
                    d.LastSyncUtc is DateTimeOffset t ? Ago((kit.GeneratedUtc - t).TotalSeconds) : "-",
                    d.Transports.Length == 0 ? "not reachable now" : string.Join(", ", d.Transports),
                });
            }

            Table(o, rows);
            foreach (var d in kit.Devices)
            {
                if (d.LastSkip != null)
                {
                    o.WriteLine("  " + d.Name + ": last sync skipped: " + d.LastSkip);
                }
            }

            WriteBeacons(o, kit.Beacons ?? Array.Empty<BeaconRow>());
        }

        /// <summary>BLE nodes heard advertising (what their unauthenticated advertisements say), as the page's beacon cards.</summary>
        private static void WriteBeacons(TextWriter o, BeaconRow[] beacons)
        {
            if (beacons.Length == 0)
            {
                return;
            }

            o.WriteLine("BLE NODES HEARD: " + beacons.Length + " (as their advertisements say; not trusted)");
            var rows = new List<string[]> { new[] { "  NODE", "KIND", "SEEN", "BATTERY", "CACHE", "REACHED BY" } };
            foreach (var b in beacons)
            {
                rows.Add(new[]
                {
                    "  " + (b.Name ?? "node " + b.NodeId),
                    b.Kind,
                    (b.Connected ? "connected, " : string.Empty) + Ago(b.LastSeenSecondsAgo),
                    b.Battery + ", " + b.Power + (b.AcceptsBulk ? string.Empty : ", not relaying shards"),
                    ByteCount.Format(b.AllocationBytes),
                    b.Transport + ", " + b.Hops + (b.Hops == 1 ? " hop" : " hops") + (b.Rssi is int rssi ? " (" + rssi + " dBm)" : string.Empty),
                });
            }

            Table(o, rows);
        }

        /// <summary>The files view: at-risk files first, each with its protection.</summary>
        public static void WriteFiles(TextWriter o, KitSnapshot kit)
        {
            int risk = kit.Files.Count(AtRisk);
            o.WriteLine("FILES: " + kit.Files.Length + (kit.Files.Length == 1 ? " file" : " files") + (risk > 0 ? ", " + risk + " AT RISK" : string.Empty));
            if (kit.Files.Length == 0)
            {
                return;
            }

            var rows = new List<string[]> { new[] { "  NAME", "SIZE", "PUT (UTC)", "PROTECTION" } };
            foreach (var f in kit.Files.OrderByDescending(AtRisk).ThenByDescending(f => f.CreatedUtc))
            {
                rows.Add(new[]
                {
                    (AtRisk(f) ? RiskMark + " " : "  ") + f.Name,
                    ByteCount.Format(f.Bytes),
                    f.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    Protection(f),
                });
            }

            Table(o, rows);
        }

        private static string Losses(int n) => n == 1 ? "1 device loss" : n + " device losses";

        private static string Ago(double seconds) => seconds switch
        {
            < 1 => "just now",
            < 120 => Math.Round(seconds).ToString(CultureInfo.InvariantCulture) + " s ago",
            < 7200 => Math.Round(seconds / 60).ToString(CultureInfo.InvariantCulture) + " min ago",
            < 172800 => Math.Round(seconds / 3600).ToString(CultureInfo.InvariantCulture) + " h ago",
            _ => Math.Round(seconds / 86400).ToString(CultureInfo.InvariantCulture) + " days ago",
        };

        /// <summary>Left-aligned columns, two spaces apart; the last column is not padded.</summary>
        private static void Table(TextWriter o, List<string[]> rows)
        {
            int columns = rows[0].Length;
            var width = new int[columns];
            foreach (var r in rows)
            {
                for (int c = 0; c < columns; c++)
                {
                    width[c] = Math.Max(width[c], r[c].Length);
                }
            }

            foreach (var r in rows)
            {
                var line = new System.Text.StringBuilder();
                for (int c = 0; c < columns; c++)
                {
                    line.Append(c == columns - 1 ? r[c] : r[c].PadRight(width[c] + 2));
                }

                o.WriteLine(line.ToString().TrimEnd());
            }
        }
    }
}
