namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>Times and bounds of the P2P manager (defaults stated in WifiDirect/README.md).</summary>
    public sealed record P2pOptions
    {
        /// <summary>A group with no sync traffic this long is removed (P2P_GROUP_REMOVE).</summary>
        public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

        /// <summary>A group where no trusted device proved itself over TLS within this time is left (threat 4).</summary>
        public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(90);

        /// <summary>After leaving an unverified group, its group owner's P2P address is avoided this long.</summary>
        public TimeSpan AvoidFor { get; init; } = TimeSpan.FromMinutes(30);

        /// <summary>A formation not finished in this time counts as failed.</summary>
        public TimeSpan FormationTimeout { get; init; } = TimeSpan.FromSeconds(60);

        /// <summary>First retry delay after a failed formation; doubles per failure up to <see cref="BackoffMax"/>.</summary>
        public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(5);

        public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);

        /// <summary>When the device's power rules decline Wi-Fi Direct, check again after this.</summary>
        public TimeSpan DeclineRecheck { get; init; } = TimeSpan.FromMinutes(1);

        /// <summary>P2P_FIND is issued again this often while we look for peers.</summary>
        public TimeSpan FindRefresh { get; init; } = TimeSpan.FromMinutes(2);

        /// <summary>
        /// Sent as <c>SET name value</c> at start, so a wpa_supplicant that read no config of ours (NetworkManager adds
        /// wlan0 over D-Bus; Debian's <c>-O DIR=/run/wpa_supplicant</c> still gives it a control socket) re-invokes
        /// persistent groups with no button or PIN and, as group owner, hands clients addresses in the 4-way handshake
        /// (the same values flash-scripts/install-hub.sh writes; 192.168.42.1 is <see cref="WifiDirectOptions.GroupOwnerAddress"/>).
        /// </summary>
        public IReadOnlyList<string> SupplicantSettings { get; init; } = new[]
        {
            "persistent_reconnect 1",
            "ip_addr_go 192.168.42.1",
            "ip_addr_mask 255.255.255.0",
            "ip_addr_start 192.168.42.10",
            "ip_addr_end 192.168.42.99",
        };

        /// <summary>Most radio peers remembered (unknown ones are evicted first).</summary>
        public int MaxPeers { get; init; } = 64;
    }
}
