namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>Requests to wpa_supplicant: the P2P device interface, and a group interface by name.</summary>
    public interface IP2pControl
    {
        /// <summary>Sends on the P2P device interface; returns the reply. Throws <see cref="WpaLinkException"/>.</summary>
        string Request(string command);

        /// <summary>Sends on group interface <paramref name="ifname"/> (e.g. WPS_PBC on the GO). Throws <see cref="WpaLinkException"/>.</summary>
        string RequestOn(string ifname, string command);
    }

    /// <summary>What the hub does when a group interface comes and goes (addresses, the group sync listener).</summary>
    public interface IP2pGroupNetwork
    {
        void GroupUp(P2pGroup group);

        void GroupDown(P2pGroup group);
    }

    /// <summary>Our role in a group.</summary>
    public enum P2pRole
    {
        Client = 0,
        GroupOwner = 1,
    }

    /// <summary>A group we are in, as GROUP-STARTED described it (addresses from wpa_supplicant's IP allocation in EAPOL).</summary>
    public sealed record P2pGroup(string Interface, P2pRole Role, string? GoDeviceAddress, bool Persistent, string? IpAddress, string? IpMask, string? GoIpAddress);

    /// <summary>A radio peer as the manager knows it (for /metrics, logs and <c>aether peers</c>); <paramref name="Service"/> is its service-discovery claim.</summary>
    public sealed record P2pPeerView(string Address, string? NodeId, bool Trusted, bool IsGroupOwner, AetherEdge.Core.WifiDirect.AetherServiceRecord? Service = null);
}
