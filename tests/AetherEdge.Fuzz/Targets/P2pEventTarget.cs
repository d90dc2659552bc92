using System.Text;
using AetherEdge.Core.WifiDirect;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// P2pEventParser.Parse (wpa_supplicant event lines; their fields come from the air). Property: an accepted
    /// line written back with ToLine parses to an event that writes the same line, with the same kind and peer.
    /// </summary>
    public sealed class P2pEventTarget : FuzzTarget
    {
        public override string Name => "p2p-event";

        public override string Source => "wpa_supplicant events (radio peers)";

        public override byte[][] Seeds() => new[]
        {
            "<3>P2P-DEVICE-FOUND 02:00:00:00:01:00 p2p_dev_addr=02:00:00:00:01:00 pri_dev_type=1-0050F204-1 name='Kit Hub' config_methods=0x188 dev_capab=0x25 group_capab=0x0 new=1",
            "IFNAME=p2p-dev-wlan0 <3>P2P-GROUP-STARTED p2p-wlan0-0 client ssid=\"DIRECT-ab\" freq=2437 psk=00ff go_dev_addr=02:00:00:00:02:00 [PERSISTENT] ip_addr=192.168.42.11 ip_mask=255.255.255.0 go_ip_addr=192.168.42.1",
            "<3>P2P-GO-NEG-SUCCESS role=GO freq=2412 ht40=0 peer_dev=02:00:00:00:01:00 peer_iface=02:00:00:00:01:00 wps_method=PBC",
            "<3>P2P-SERV-DISC-RESP 02:00:00:00:01:00 1 0b00010100ff",
            "<3>AP-STA-CONNECTED 02:00:00:00:01:00 p2p_dev_addr=02:00:00:00:01:00",
            "<3>P2P-GROUP-REMOVED p2p-wlan0-0 GO reason=IDLE",
        }.Select(Encoding.ASCII.GetBytes).ToArray();

        public override bool Execute(byte[] input)
        {
            var e = P2pEventParser.Parse(Encoding.Latin1.GetString(input));
            string line = e.ToLine();
            var again = P2pEventParser.Parse(line);
            FuzzPropertyException.Check(again.ToLine() == line, "ToLine does not round-trip: " + line);
            FuzzPropertyException.Check(again.Kind == e.Kind && again.PeerAddress == e.PeerAddress && again.Interface == e.Interface, "re-parsed event differs: " + line);
            return true;
        }
    }
}
