using System.Text.Json;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;

namespace AetherEdge.HostNode.Planning
{
    /// <summary>
    /// Reads devices.json: <c>{"devices":[{"id","kind","allocationBytes","usedBytes","alwaysOn",
    /// "batteryPercent","pluggedIn","wifiOnly","wifiConnected"}]}</c>. Every problem is reported as a
    /// <see cref="DevicesFileException"/> naming the file, the device and the field.
    /// </summary>
    public static class DevicesFile
    {
        /// <summary>Largest devices file accepted (a kit has tens of devices, not millions).</summary>
        public const long MaxFileBytes = 16 * 1024 * 1024;

        public static DeviceProfile[] Load(string path)
        {
            if (!File.Exists(path))
            {
                throw new DevicesFileException($"devices file '{path}' does not exist");
            }

            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new DevicesFileException($"devices file '{path}' is larger than {MaxFileBytes} bytes");
            }

            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                return Parse(doc.RootElement, path);
            }
            catch (JsonException e)
            {
                throw new DevicesFileException($"devices file '{path}' is not valid JSON: {e.Message}");
            }
        }

        public static DeviceProfile[] Parse(JsonElement root, string source)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("devices", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new DevicesFileException($"{source}: expected an object with a \"devices\" array");
            }

            var devices = new List<DeviceProfile>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (var e in list.EnumerateArray())
            {
                string where = $"{source}: device #{index}";
                if (e.ValueKind != JsonValueKind.Object)
                {
                    throw new DevicesFileException($"{where} is not an object");
                }

                string id = RequiredString(e, "id", where);
                where = $"{source}: device '{id}'";
                if (!seen.Add(id))
                {
                    throw new DevicesFileException($"{where} appears twice");
                }

                string kindText = RequiredString(e, "kind", where);
                if (!StorageAllocation.TryParseKind(kindText, out var kind))
                {
                    throw new DevicesFileException($"{where} has unknown kind '{kindText}' (expected desktop, laptop, mobile, hub or beacon)");
                }

                long allocation = Long(e, "allocationBytes", where, StorageAllocation.DefaultAllocationBytes(kind));
                long used = Long(e, "usedBytes", where, 0);
                int battery = (int)Long(e, "batteryPercent", where, BatteryStatus.MaxPercent);
                if (battery > BatteryStatus.MaxPercent)
                {
                    throw new DevicesFileException($"{where}: batteryPercent must be 0..100, got {battery}");
                }

                bool alwaysOn = Bool(e, "alwaysOn", where, kind is DeviceKind.Desktop or DeviceKind.Hub or DeviceKind.Beacon);
                bool plugged = Bool(e, "pluggedIn", where, kind is DeviceKind.Desktop or DeviceKind.Hub);
                bool wifiOnly = Bool(e, "wifiOnly", where, kind == DeviceKind.Mobile);
                bool wifi = Bool(e, "wifiConnected", where, true);
                devices.Add(new DeviceProfile(id, kind, allocation, used, alwaysOn, new BatteryStatus(battery, plugged), wifiOnly, wifi));
                index++;
            }

            if (devices.Count == 0)
            {
                throw new DevicesFileException($"{source}: the \"devices\" array is empty");
            }

            return devices.ToArray();
        }

        private static string RequiredString(JsonElement e, string name, string where)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            {
                throw new DevicesFileException($"{where}: missing or empty string \"{name}\"");
            }

            return v.GetString()!;
        }

        private static long Long(JsonElement e, string name, string where, long fallback)
        {
            if (!e.TryGetProperty(name, out var v))
            {
                return fallback;
            }

            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
            {
                throw new DevicesFileException($"{where}: \"{name}\" must be a whole number");
            }

            if (n < 0)
            {
                throw new DevicesFileException($"{where}: \"{name}\" must not be negative, got {n}");
            }

            return n;
        }

        private static bool Bool(JsonElement e, string name, string where, bool fallback)
        {
            if (!e.TryGetProperty(name, out var v))
            {
                return fallback;
            }

            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new DevicesFileException($"{where}: \"{name}\" must be true or false"),
            };
        }
    }
}
