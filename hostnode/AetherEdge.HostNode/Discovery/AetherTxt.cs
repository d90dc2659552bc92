using System.Reflection;
using AetherEdge.Core.Dns;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>The DNS-SD service type and TXT keys AetherEdge nodes advertise.</summary>
    public static class AetherTxt
    {
        public const string ServiceType = "_aetherlight._tcp.local";
        public const int DefaultSyncPort = 43216;
        public const string NodeId = "node_id";
        public const string DeviceType = "device_type";
        public const string StorageBytes = "storage_bytes";
        public const string Version = "version";

        /// <summary>Device-ID fingerprint (reserved for the sync issue; added through <c>extra</c>).</summary>
        public const string Fingerprint = "fp";

        public static string SoftwareVersion =>
            typeof(AetherTxt).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? "0.0.0";

        /// <summary><paramref name="name"/> cut (by whole characters) to fit one DNS label.</summary>
        public static string InstanceLabel(string name)
        {
            while (System.Text.Encoding.UTF8.GetByteCount(name) > DnsLimits.MaxLabelLength)
            {
                name = name.Substring(0, name.Length - 1);
            }

            return name;
        }

        /// <summary>A host label derived from the device ID: <paramref name="prefix"/> + its first 8 characters, lower case.</summary>
        public static string HostLabel(string prefix, string deviceId)
        {
            string compact = deviceId.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            return prefix + compact.Substring(0, Math.Min(8, compact.Length));
        }

        /// <summary>Builds the TXT set; <paramref name="extra"/> keys come after the standard ones (first wins).</summary>
        public static TxtProperties Build(string nodeId, string deviceType, long storageBytes, IEnumerable<KeyValuePair<string, string?>>? extra = null)
        {
            var txt = new TxtProperties();
            txt.Add(NodeId, nodeId);
            txt.Add(DeviceType, deviceType);
            txt.Add(StorageBytes, storageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            txt.Add(Version, SoftwareVersion);
            if (extra != null)
            {
                foreach (var kv in extra)
                {
                    txt.Add(kv.Key, kv.Value);
                }
            }

            return txt;
        }
    }
}
