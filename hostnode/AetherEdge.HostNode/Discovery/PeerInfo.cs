using System.Net;
using AetherEdge.Core.Dns;
using AetherEdge.Core.Mdns;

namespace AetherEdge.HostNode.Discovery
{
    /// <summary>A discovered AetherEdge node (or any DNS-SD instance of the browsed type).</summary>
    public sealed record PeerInfo(
        string Instance,
        string Host,
        IReadOnlyList<string> Addresses,
        int Port,
        IReadOnlyDictionary<string, string?> Txt,
        string? DeviceKind,
        long? StorageBytes,
        string Interface)
    {
        /// <summary>Converts a browser snapshot; link-local IPv6 addresses get the arrival interface's scope.</summary>
        public static PeerInfo From(MdnsServiceInstance s, string interfaceName, long scopeId)
        {
            var addresses = new List<string>();
            foreach (var raw in s.Addresses)
            {
                var ip = new IPAddress(raw);
                if (ip.IsIPv6LinkLocal)
                {
                    ip.ScopeId = scopeId;
                }

                addresses.Add(ip.ToString());
            }

            addresses.Sort(StringComparer.Ordinal);
            var props = TxtProperties.Parse(s.Txt);
            var txt = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var key in props.Keys)
            {
                txt[key.ToLowerInvariant()] = props.GetString(key);
            }

            long? storage = long.TryParse(props.GetString(AetherTxt.StorageBytes), out long b) ? b : null;
            return new PeerInfo(
                s.InstanceLabel,
                s.Host.ToString(),
                addresses,
                s.Port,
                txt,
                props.GetString(AetherTxt.DeviceType),
                storage,
                interfaceName);
        }
    }
}
