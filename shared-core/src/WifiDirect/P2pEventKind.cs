namespace AetherEdge.Core.WifiDirect
{
    /// <summary>The wpa_supplicant events the Wi-Fi Direct manager acts on; anything else is <see cref="Other"/>.</summary>
    public enum P2pEventKind
    {
        /// <summary>An event we do not act on (still parsed, never an error).</summary>
        Other = 0,

        /// <summary><c>P2P-DEVICE-FOUND &lt;addr&gt; p2p_dev_addr= pri_dev_type= name='..' ...</c></summary>
        DeviceFound = 1,

        /// <summary><c>P2P-DEVICE-LOST p2p_dev_addr=&lt;addr&gt;</c></summary>
        DeviceLost = 2,

        /// <summary><c>P2P-GO-NEG-REQUEST &lt;addr&gt; dev_passwd_id=N go_intent=N</c></summary>
        GoNegRequest = 3,

        /// <summary><c>P2P-GO-NEG-SUCCESS role=GO|client freq= peer_dev= peer_iface= ...</c></summary>
        GoNegSuccess = 4,

        /// <summary><c>P2P-GO-NEG-FAILURE status=N</c></summary>
        GoNegFailure = 5,

        /// <summary><c>P2P-GROUP-FORMATION-SUCCESS</c></summary>
        GroupFormationSuccess = 6,

        /// <summary><c>P2P-GROUP-FORMATION-FAILURE</c></summary>
        GroupFormationFailure = 7,

        /// <summary><c>P2P-GROUP-STARTED &lt;ifname&gt; GO|client ssid="S" freq=F ... go_dev_addr= [PERSISTENT] [ip_addr= ip_mask= go_ip_addr=]</c></summary>
        GroupStarted = 8,

        /// <summary><c>P2P-GROUP-REMOVED &lt;ifname&gt; GO|client reason=..</c></summary>
        GroupRemoved = 9,

        /// <summary><c>P2P-SERV-DISC-RESP &lt;addr&gt; &lt;update_indic&gt; &lt;TLV hex&gt;</c></summary>
        ServDiscResp = 10,

        /// <summary><c>AP-STA-CONNECTED &lt;sta&gt; [p2p_dev_addr=] [ip_addr=]</c></summary>
        ApStaConnected = 11,

        /// <summary><c>AP-STA-DISCONNECTED &lt;sta&gt; [p2p_dev_addr=]</c></summary>
        ApStaDisconnected = 12,

        /// <summary><c>P2P-PROV-DISC-PBC-REQ &lt;addr&gt; p2p_dev_addr= ...</c>: a device asks to join our group by push button.</summary>
        ProvDiscPbcReq = 13,

        /// <summary><c>P2P-INVITATION-RECEIVED sa=&lt;addr&gt; persistent=N ...</c></summary>
        InvitationReceived = 14,

        /// <summary><c>P2P-INVITATION-RESULT status=N</c></summary>
        InvitationResult = 15,
    }
}
