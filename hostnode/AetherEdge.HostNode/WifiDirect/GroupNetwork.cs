using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>
    /// The group interface as a LAN: its IPv4 address (the GO's own fixed address; a client's <c>ip_addr=</c> from
    /// wpa_supplicant's IP allocation in EAPOL; without one the kernel's IPv6 link-local address is all there is)
    /// set with iproute2, and a sync listener on that address and the group port. mDNS picks the interface up by
    /// itself (it follows address changes), so discovery, TLS and sync run on it exactly as on a LAN.
    /// </summary>
    public sealed class GroupNetwork
    {
        private readonly WifiDirectOptions _options;
        private readonly ILogger _log;

        public GroupNetwork(WifiDirectOptions options, ILogger log)
        {
            _options = options;
            _log = log;
        }

        /// <summary>Our address on <paramref name="group"/>, or null when only IPv6 link-local is available.</summary>
        public IPAddress? LocalAddress(P2pGroup group) =>
            group.Role == P2pRole.GroupOwner ? _options.GroupOwnerAddress
            : group.IpAddress != null && IPAddress.TryParse(group.IpAddress, out var ip) ? ip : null;

        /// <summary>The address to reach the peer we formed the group with: the GO's (clients only).</summary>
        public IPAddress? GroupOwnerAddress(P2pGroup group) =>
            group.Role == P2pRole.Client && group.GoIpAddress != null && IPAddress.TryParse(group.GoIpAddress, out var ip) ? ip : null;

        /// <summary>Sets our address on the group interface (idempotent); false when iproute2 refused.</summary>
        public bool Configure(P2pGroup group)
        {
            var local = LocalAddress(group);
            if (local == null)
            {
                _log.LogInformation("Wi-Fi Direct group {Interface}: no address from the group owner; IPv6 link-local only", group.Interface);
                return true;
            }

            int prefix = group.IpMask != null && IPAddress.TryParse(group.IpMask, out var mask) ? PrefixOf(mask) : _options.GroupPrefixLength;
            var (code, output) = Ip("addr", "replace", local + "/" + prefix, "dev", group.Interface);
            if (code != 0)
            {
                _log.LogWarning("Wi-Fi Direct group {Interface}: cannot set {Address}/{Prefix}: {Error}", group.Interface, local, prefix, output.Trim());
                return false;
            }

            Ip("link", "set", group.Interface, "up");
            return true;
        }

        /// <summary>A started listener on our group address and the group port, or null (one log line) when that fails.</summary>
        public TcpListener? Listen(P2pGroup group)
        {
            var local = LocalAddress(group);
            if (local == null)
            {
                return null;
            }

            var listener = new TcpListener(local, _options.GroupPort);
            try
            {
                listener.Start();
                return listener;
            }
            catch (SocketException e)
            {
                // e.g. --http-bind 0.0.0.0 on the same port: sync still reaches us on the main sync port.
                _log.LogWarning("Wi-Fi Direct group {Interface}: cannot listen on {Address}:{Port} ({Error}); peers reach the main sync port", group.Interface, local, _options.GroupPort, e.SocketErrorCode);
                listener.Stop();
                return null;
            }
        }

        private static int PrefixOf(IPAddress mask)
        {
            int bits = 0;
            foreach (byte b in mask.GetAddressBytes())
            {
                bits += System.Numerics.BitOperations.PopCount(b);
            }

            return bits;
        }

        private static (int Code, string Output) Ip(params string[] args)
        {
            var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            try
            {
                using var p = Process.Start(psi)!;
                string err = p.StandardError.ReadToEnd();
                p.StandardOutput.ReadToEnd();
                return p.WaitForExit(10_000) ? (p.ExitCode, err) : (-1, "ip timed out");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return (-1, e.Message);
            }
        }
    }
}
