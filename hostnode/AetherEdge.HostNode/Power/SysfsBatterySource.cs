using System.Globalization;
using AetherEdge.Core.Devices;

namespace AetherEdge.HostNode.Power
{
    /// <summary>
    /// Battery state from the Linux power_supply class (<c>/sys/class/power_supply/*/{type,capacity,status,online}</c>).
    /// Odd files (garbage, out-of-range numbers, unreadable) are logged once and ignored; the source never throws
    /// for file content. Batteries of peripherals (scope = Device) are skipped.
    /// </summary>
    public sealed class SysfsBatterySource : IBatterySource
    {
        /// <summary>Where the kernel publishes power supplies.</summary>
        public const string DefaultRoot = "/sys/class/power_supply";

        private const int MaxAttributeLength = 256;
        private readonly string _root;
        private readonly PowerLog _log;

        /// <summary>Reads supplies under <paramref name="root"/> (a temp dir in tests); problems go to <paramref name="log"/>.</summary>
        public SysfsBatterySource(string root = DefaultRoot, TextWriter? log = null)
        {
            _root = root;
            _log = new PowerLog(log);
        }

        /// <summary>The directory this source reads.</summary>
        public string Root => _root;

        /// <summary>
        /// Combines the supplies: batteries (Battery/UPS, not peripherals, present) give the mean capacity;
        /// plugged in when any mains/USB/wireless supply is online or a battery is charging, full or "not charging".
        /// No battery but a mains-type supply gives mains 100 %. False when there is no usable supply at all.
        /// </summary>
        public bool TryRead(out BatteryReading reading)
        {
            reading = null!;
            IReadOnlyList<PowerSupplyInfo> supplies = ReadSupplies();
            var batteries = new List<PowerSupplyInfo>();
            var external = new List<PowerSupplyInfo>();
            foreach (PowerSupplyInfo s in supplies)
            {
                if (s.Type is PowerSupplyType.Battery or PowerSupplyType.Ups)
                {
                    if (s.IsDeviceScope || s.Present == false)
                    {
                        continue;
                    }

                    if (s.CapacityPercent is null)
                    {
                        _log.Warn(Path.Combine(_root, s.Name) + ": battery without a usable capacity; skipped");
                        continue;
                    }

                    batteries.Add(s);
                }
                else if (s.Type is PowerSupplyType.Mains or PowerSupplyType.Usb or PowerSupplyType.Wireless)
                {
                    external.Add(s);
                }
            }

            PowerSupplyInfo? online = external.FirstOrDefault(s => s.Online == true);
            if (batteries.Count == 0)
            {
                if (external.Count == 0)
                {
                    return false;
                }

                // The host is running, so some supply powers it even when online reads 0 or is missing.
                PowerSupplyInfo mains = online ?? external[0];
                reading = new BatteryReading(BatteryStatus.Mains, Describe(mains), HasBattery: false);
                return true;
            }

            int percent = (int)Math.Round(batteries.Average(b => b.CapacityPercent!.Value), MidpointRounding.AwayFromZero);
            bool charging = batteries.Any(b => b.Status is PowerSupplyStatus.Charging or PowerSupplyStatus.Full or PowerSupplyStatus.NotCharging);
            bool pluggedIn = online is not null || charging;
            string text = (batteries[0].Type == PowerSupplyType.Ups ? "ups " : "battery ")
                + string.Join("+", batteries.Select(b => b.Name))
                + " " + percent.ToString(CultureInfo.InvariantCulture) + " % "
                + StatusText(batteries[0].Status);
            if (online is not null)
            {
                text += ", " + Describe(online) + " online";
            }

            reading = new BatteryReading(new BatteryStatus(percent, pluggedIn), text);
            return true;
        }

        /// <summary>Parses every supply directory, in name order. Empty when the root is missing or unreadable.</summary>
        public IReadOnlyList<PowerSupplyInfo> ReadSupplies()
        {
            string[] dirs;
            try
            {
                if (!Directory.Exists(_root))
                {
                    _log.Warn(_root + " does not exist; no kernel power supply information");
                    return Array.Empty<PowerSupplyInfo>();
                }

                dirs = Directory.GetDirectories(_root);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.Warn(_root + ": cannot list (" + ex.Message + ")");
                return Array.Empty<PowerSupplyInfo>();
            }

            Array.Sort(dirs, StringComparer.Ordinal);
            var result = new List<PowerSupplyInfo>(dirs.Length);
            foreach (string dir in dirs)
            {
                result.Add(ReadSupply(dir));
            }

            return result;
        }

        private PowerSupplyInfo ReadSupply(string dir)
        {
            string name = Path.GetFileName(dir);
            string? typeText = ReadAttribute(dir, "type");
            PowerSupplyType type = ParseType(typeText);
            if (type == PowerSupplyType.Unknown)
            {
                _log.Warn(Path.Combine(dir, "type") + ": " + (typeText is null ? "missing" : "unrecognised value '" + typeText + "'") + "; supply ignored");
            }

            string? statusText = ReadAttribute(dir, "status");
            PowerSupplyStatus status = ParseStatus(statusText);
            if (statusText is not null && status == PowerSupplyStatus.Unknown && statusText != "Unknown")
            {
                _log.Warn(Path.Combine(dir, "status") + ": unrecognised value '" + statusText + "'; treated as Unknown");
            }

            int? capacity = null;
            if (type is PowerSupplyType.Battery or PowerSupplyType.Ups)
            {
                capacity = ReadPercent(dir, "capacity") ?? RatioPercent(dir, "energy_now", "energy_full") ?? RatioPercent(dir, "charge_now", "charge_full");
            }

            bool? online = ReadFlag(dir, "online");
            bool? present = ReadFlag(dir, "present");
            bool deviceScope = string.Equals(ReadAttribute(dir, "scope"), "Device", StringComparison.OrdinalIgnoreCase);
            return new PowerSupplyInfo(name, type, capacity, status, online, deviceScope, present);
        }

        private int? ReadPercent(string dir, string attribute)
        {
            long? value = ReadInteger(dir, attribute);
            if (value is null)
            {
                return null;
            }

            if (value < 0 || value > BatteryStatus.MaxPercent)
            {
                int clamped = value < 0 ? 0 : BatteryStatus.MaxPercent;
                _log.Warn(Path.Combine(dir, attribute) + ": " + value + " is outside 0..100; using " + clamped);
                return clamped;
            }

            return (int)value;
        }

        private int? RatioPercent(string dir, string nowAttribute, string fullAttribute)
        {
            long? now = ReadInteger(dir, nowAttribute);
            long? full = ReadInteger(dir, fullAttribute);
            if (now is null || full is null)
            {
                return null;
            }

            if (full <= 0 || now < 0)
            {
                _log.Warn(Path.Combine(dir, nowAttribute) + "/" + fullAttribute + ": " + now + "/" + full + " is not a usable ratio");
                return null;
            }

            return (int)Math.Min(BatteryStatus.MaxPercent, Math.Round(100.0 * now.Value / full.Value, MidpointRounding.AwayFromZero));
        }

        private bool? ReadFlag(string dir, string attribute)
        {
            long? value = ReadInteger(dir, attribute);
            if (value is null)
            {
                return null;
            }

            if (value != 0 && value != 1)
            {
                // Some USB supplies report online = 2 (programmable); anything non-zero means present/online.
                return value > 0;
            }

            return value == 1;
        }

        private long? ReadInteger(string dir, string attribute)
        {
            string? text = ReadAttribute(dir, attribute);
            if (text is null)
            {
                return null;
            }

            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                _log.Warn(Path.Combine(dir, attribute) + ": '" + Printable(text) + "' is not a number; ignored");
                return null;
            }

            return value;
        }

        // Null when the attribute is absent (normal: not every driver has every file) or unreadable (logged).
        private string? ReadAttribute(string dir, string attribute)
        {
            string path = Path.Combine(dir, attribute);
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
                using var reader = new StreamReader(stream);
                char[] buffer = new char[MaxAttributeLength];
                int length = reader.ReadBlock(buffer, 0, buffer.Length);
                return new string(buffer, 0, length).Trim();
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.Warn(path + ": unreadable (" + ex.Message + ")");
                return null;
            }
        }

        private static string Printable(string text)
        {
            string shortText = text.Length > 32 ? text.Substring(0, 32) + "..." : text;
            return new string(shortText.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        }

        private static PowerSupplyType ParseType(string? text)
        {
            if (text is null)
            {
                return PowerSupplyType.Unknown;
            }

            if (text.Equals("Battery", StringComparison.OrdinalIgnoreCase))
            {
                return PowerSupplyType.Battery;
            }

            if (text.Equals("UPS", StringComparison.OrdinalIgnoreCase))
            {
                return PowerSupplyType.Ups;
            }

            if (text.Equals("Mains", StringComparison.OrdinalIgnoreCase))
            {
                return PowerSupplyType.Mains;
            }

            if (text.StartsWith("USB", StringComparison.OrdinalIgnoreCase))
            {
                return PowerSupplyType.Usb;
            }

            if (text.Equals("Wireless", StringComparison.OrdinalIgnoreCase))
            {
                return PowerSupplyType.Wireless;
            }

            return PowerSupplyType.Unknown;
        }

        private static PowerSupplyStatus ParseStatus(string? text)
        {
            switch (text)
            {
                case "Charging":
                    return PowerSupplyStatus.Charging;
                case "Discharging":
                    return PowerSupplyStatus.Discharging;
                case "Not charging":
                    return PowerSupplyStatus.NotCharging;
                case "Full":
                    return PowerSupplyStatus.Full;
                default:
                    return PowerSupplyStatus.Unknown;
            }
        }

        private static string StatusText(PowerSupplyStatus status)
        {
            switch (status)
            {
                case PowerSupplyStatus.Charging:
                    return "charging";
                case PowerSupplyStatus.Discharging:
                    return "discharging";
                case PowerSupplyStatus.NotCharging:
                    return "not charging";
                case PowerSupplyStatus.Full:
                    return "full";
                default:
                    return "status unknown";
            }
        }

        private static string Describe(PowerSupplyInfo supply)
        {
            switch (supply.Type)
            {
                case PowerSupplyType.Usb:
                    return "usb " + supply.Name;
                case PowerSupplyType.Wireless:
                    return "wireless " + supply.Name;
                default:
                    return "mains " + supply.Name;
            }
        }
    }
}
