using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.WifiDirect;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>
    /// Wi-Fi Direct for one device: publishes our <c>_aetherlight._tcp</c> service through P2P service discovery,
    /// finds radio peers, joins or forms a group only with peers whose service data names a device in the trust
    /// circle, at most one group at a time and at most 8 devices in it, persistent so a later reconnection needs
    /// no button or PIN. A synchronous state machine: <see cref="OnEvent"/>, <see cref="Tick"/> and the reports
    /// (<see cref="NoteTraffic"/>, <see cref="ConfirmTrusted"/>) run on one thread, time from the injected clock.
    /// Nothing heard over the radio makes us trust anyone: a group where no trusted device proves itself over TLS
    /// within <see cref="P2pOptions.VerifyTimeout"/> is left and its group owner avoided.
    /// </summary>
    public sealed partial class P2pManager
    {
        private readonly IP2pControl _control;
        private readonly AetherServiceRecord _ours;
        private readonly Func<string, bool> _isTrusted;
        private readonly Func<DeviceProfile> _profile;
        private readonly IP2pGroupNetwork _network;
        private readonly IClock _clock;
        private readonly P2pOptions _options;
        private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _avoid = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _persistentIds = new(StringComparer.Ordinal);
        private Pending? _pending;
        private ActiveGroup? _group;
        private long _lastFind = long.MinValue;

        public P2pManager(IP2pControl control, AetherServiceRecord ours, Func<string, bool> isTrusted, Func<DeviceProfile> profile, IP2pGroupNetwork network, IClock clock, P2pOptions options, P2pCounters counters)
        {
            _control = control;
            _ours = ours;
            _isTrusted = isTrusted;
            _profile = profile;
            _network = network;
            _clock = clock;
            _options = options;
            Counters = counters;
        }

        public P2pCounters Counters { get; }

        /// <summary>False until <see cref="Start"/> succeeded; false for good when the interface has no P2P.</summary>
        public bool Running { get; private set; }

        /// <summary>Set when wpa_supplicant refused P2P_FIND at start: the interface has no P2P support.</summary>
        public bool NoP2pSupport { get; private set; }

        /// <summary>The group we are in, or null.</summary>
        public P2pGroup? Group => _group?.Info;

        /// <summary>Members of our group besides us (GO: stations; client: the GO).</summary>
        public int GroupPeers => _group == null ? 0 : _group.Info.Role == P2pRole.GroupOwner ? _group.Members.Count : 1;

        /// <summary>The radio peers known now.</summary>
        public IReadOnlyList<P2pPeerView> Peers() => _peers.Values.Select(p => new P2pPeerView(p.Address, p.NodeId, p.Trusted, p.IsGroupOwner, p.Service)).ToList();

        /// <summary>
        /// Publishes our service, starts looking for peers and asks every peer found for its Bonjour services.
        /// Returns false (and sets <see cref="NoP2pSupport"/>) when wpa_supplicant refuses P2P_FIND.
        /// Throws <see cref="WpaLinkException"/> when wpa_supplicant cannot be reached.
        /// </summary>
        public bool Start()
        {
            foreach (string setting in _options.SupplicantSettings)
            {
                _control.Request("SET " + setting);
            }

            foreach (var r in new[] { _ours.Ptr(), _ours.Txt() })
            {
                string query = Hex.Encode(ServiceDiscoveryTlv.EncodeQuery(r.Name, r.Type));
                _control.Request("P2P_SERVICE_DEL bonjour " + query);
                _control.Request("P2P_SERVICE_ADD bonjour " + query + " " + Hex.Encode(r.Rdata));
            }

            if (!IsOk(_control.Request("P2P_FIND")))
            {
                NoP2pSupport = true;
                return false;
            }

            _lastFind = _clock.MonotonicMilliseconds;
            _control.Request("P2P_SERV_DISC_REQ " + P2pAddress.Any + " " + Hex.Encode(ServiceDiscoveryTlv.AllBonjourRequest(1)));
            LoadPersistentGroups();
            Running = true;
            return true;
        }

        /// <summary>Feeds one event line from the event socket; malformed lines are counted and skipped.</summary>
        public void OnEventLine(string line)
        {
            P2pEvent? e = P2pEventParser.TryParse(line.TrimEnd('\n'));
            if (e == null)
            {
                Counters.Malformed();
                return;
            }

            OnEvent(e);
        }

        /// <summary>Acts on one parsed event.</summary>
        public void OnEvent(P2pEvent e)
        {
            if (!Running)
            {
                return;
            }

            long now = _clock.MonotonicMilliseconds;
            switch (e.Kind)
            {
                case P2pEventKind.DeviceFound:
                    OnDeviceFound(e, now);
                    break;
                case P2pEventKind.DeviceLost:
                    _peers.Remove(e.PeerAddress!);
                    break;
                case P2pEventKind.ServDiscResp:
                    OnServiceResponse(e, now);
                    break;
                case P2pEventKind.GoNegRequest:
                    OnNegotiationRequest(e.PeerAddress!, now);
                    break;
                case P2pEventKind.GoNegFailure:
                case P2pEventKind.GroupFormationFailure:
                    FormationFailed(now);
                    break;
                case P2pEventKind.GroupStarted:
                    OnGroupStarted(e, now);
                    break;
                case P2pEventKind.GroupRemoved:
                    OnGroupRemoved(e.Positional(0)!);
                    break;
                case P2pEventKind.ApStaConnected:
                    OnStationConnected(e, now);
                    break;
                case P2pEventKind.ApStaDisconnected:
                    _group?.Members.Remove(e.PeerAddress!);
                    break;
                case P2pEventKind.ProvDiscPbcReq:
                    OnJoinRequest(e.PeerAddress!);
                    break;
                case P2pEventKind.InvitationResult:
                    OnInvitationResult(e.Get("status"), now);
                    break;
            }
        }

        /// <summary>Timers: formation timeout, verification, idle removal, retries, and starting a formation.</summary>
        public void Tick()
        {
            if (!Running)
            {
                return;
            }

            long now = _clock.MonotonicMilliseconds;
            if (_pending != null && now - _pending.Since > (long)_options.FormationTimeout.TotalMilliseconds)
            {
                TryRequest("P2P_CANCEL");
                FormationFailed(now);
            }

            if (_group != null)
            {
                TickGroup(now);
                return;
            }

            if (_pending == null)
            {
                if (now - _lastFind >= (long)_options.FindRefresh.TotalMilliseconds)
                {
                    _lastFind = now;
                    TryRequest("P2P_FIND");
                }

                TryForm(now);
            }
        }

        /// <summary>Sync bytes moved over group interface <paramref name="ifname"/>: the group is in use.</summary>
        public void NoteTraffic(string ifname)
        {
            if (_group != null && _group.Info.Interface == ifname)
            {
                _group.LastTraffic = _clock.MonotonicMilliseconds;
            }
        }

        /// <summary>A device of the trust circle completed a TLS session with us over <paramref name="ifname"/>.</summary>
        public void ConfirmTrusted(string ifname)
        {
            if (_group != null && _group.Info.Interface == ifname)
            {
                _group.Verified = true;
                _group.LastTraffic = _clock.MonotonicMilliseconds;
            }
        }

        /// <summary>
        /// Our TLS session to the group owner failed authentication: its identity is not in the trust circle (or it
        /// refused ours). That is proof, not a missing answer, so the client leaves now instead of at the verify timeout.
        /// </summary>
        public void RejectGroup(string ifname)
        {
            if (_group != null && _group.Info.Interface == ifname && !_group.Verified)
            {
                LeaveUnverified(_group, _clock.MonotonicMilliseconds);
            }
        }

        private void OnDeviceFound(P2pEvent e, long now)
        {
            string address = e.PeerAddress!;
            Counters.DeviceFound();
            var peer = Remember(address, now);
            peer.IsGroupOwner = (ParseHex(e.Get("group_capab")) & 0x01) != 0;
        }

        private void OnServiceResponse(P2pEvent e, long now)
        {
            AetherServiceRecord? record;
            try
            {
                record = AetherServiceRecord.Find(ServiceDiscoveryTlv.DecodeResponse(Hex.Decode(e.Positional(2)!)));
            }
            catch (ProtocolViolationException)
            {
                Counters.Malformed();
                return;
            }

            if (record == null || record.NodeId == _ours.NodeId)
            {
                return;
            }

            var peer = Remember(e.PeerAddress!, now);
            peer.Service = record;
            if (!_isTrusted(record.NodeId))
            {
                Counters.Untrusted();
                peer.NodeId = null;
                peer.Trusted = false;
                return;
            }

            if (!peer.Trusted || peer.NodeId != record.NodeId)
            {
                Counters.Trusted();
            }

            peer.NodeId = record.NodeId;
            peer.Trusted = true;
            if (peer.AskedToNegotiate && now - peer.NegotiationAskedAt < (long)_options.FormationTimeout.TotalMilliseconds)
            {
                peer.AskedToNegotiate = false;
                OnNegotiationRequest(peer.Address, now);
            }
        }

        private void OnNegotiationRequest(string address, long now)
        {
            _peers.TryGetValue(address, out var peer);
            if (peer == null || !peer.Trusted)
            {
                // Maybe ours but not heard yet: ask it directly, and answer once its service data names a trusted device.
                peer = Remember(address, now);
                peer.AskedToNegotiate = true;
                peer.NegotiationAskedAt = now;
                TryRequest("P2P_SERV_DISC_REQ " + address + " " + Hex.Encode(ServiceDiscoveryTlv.AllBonjourRequest(2)));
                Counters.Refused();
                return;
            }

            if (_group != null || _pending != null || IsAvoided(address, now))
            {
                Counters.Refused();
                return;
            }

            int intent = Intent(now, peer);
            if (intent < 0)
            {
                Counters.Refused();
                return;
            }

            Connect(peer, "P2P_CONNECT " + address + " pbc persistent go_intent=" + intent, now);
        }

        private void TryForm(long now)
        {
            foreach (var peer in _peers.Values.OrderBy(p => p.NextAttempt))
            {
                if (!peer.Trusted || now < peer.NextAttempt || IsAvoided(peer.Address, now))
                {
                    continue;
                }

                // Both sides would dial: the smaller device ID starts unless the other already owns a group.
                if (!peer.IsGroupOwner && string.CompareOrdinal(_ours.NodeId, peer.NodeId) > 0)
                {
                    continue;
                }

                int intent = Intent(now, peer);
                if (intent < 0)
                {
                    return;
                }

                string command = peer.IsGroupOwner
                    ? "P2P_CONNECT " + peer.Address + " pbc join"
                    : _persistentIds.TryGetValue(peer.Address, out int id)
                        ? "P2P_INVITE persistent=" + id + " peer=" + peer.Address
                        : "P2P_CONNECT " + peer.Address + " pbc persistent go_intent=" + intent;
                Connect(peer, command, now);
                return;
            }
        }

        // The device's power rules (SyncPolicy via GroupOwnerIntent); a decline is counted once per recheck period.
        private int Intent(long now, Peer peer)
        {
            int intent = GroupOwnerIntent.For(_profile(), out var why);
            if (intent < 0)
            {
                Counters.Declined(why);
                peer.NextAttempt = now + (long)_options.DeclineRecheck.TotalMilliseconds;
            }

            return intent;
        }

        private void Connect(Peer peer, string command, long now)
        {
            Counters.Formation();
            TryRequest("P2P_STOP_FIND");
            if (IsOk(TryRequest(command)))
            {
                _pending = new Pending(peer.Address, now);
                return;
            }

            _pending = new Pending(peer.Address, now);
            FormationFailed(now);
        }

        private void FormationFailed(long now)
        {
            if (_pending == null)
            {
                return;
            }

            Counters.FormationFailed();
            if (_peers.TryGetValue(_pending.Address, out var peer))
            {
                peer.Failures++;
                long delay = (long)_options.BackoffBase.TotalMilliseconds << Math.Min(peer.Failures - 1, 16);
                peer.NextAttempt = now + Math.Min(delay, (long)_options.BackoffMax.TotalMilliseconds);
            }

            _pending = null;
            _lastFind = now;
            TryRequest("P2P_FIND");
        }

        private Peer Remember(string address, long now)
        {
            if (!_peers.TryGetValue(address, out var peer))
            {
                if (_peers.Count >= _options.MaxPeers)
                {
                    var evict = _peers.Values.OrderBy(p => p.Trusted).ThenBy(p => p.LastSeen).First();
                    _peers.Remove(evict.Address);
                    Counters.Dropped();
                }

                peer = new Peer(address);
                _peers[address] = peer;
            }

            peer.LastSeen = now;
            return peer;
        }

        private bool IsAvoided(string address, long now)
        {
            if (_avoid.TryGetValue(address, out long until))
            {
                if (now < until)
                {
                    return true;
                }

                _avoid.Remove(address);
            }

            return false;
        }

        private string TryRequest(string command)
        {
            try
            {
                return _control.Request(command);
            }
            catch (WpaLinkException)
            {
                return "FAIL\n";
            }
        }

        private static bool IsOk(string reply) => reply.TrimEnd('\n') == "OK";

        private static long ParseHex(string? text)
        {
            if (text == null || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length > 10)
            {
                return 0;
            }

            return long.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out long v) ? v : 0;
        }

        private sealed class Peer
        {
            public Peer(string address) => Address = address;

            public string Address { get; }

            public string? NodeId { get; set; }

            public bool Trusted { get; set; }

            public bool IsGroupOwner { get; set; }

            /// <summary>What its service discovery claimed (unauthenticated until TLS proves it).</summary>
            public AetherServiceRecord? Service { get; set; }

            public long LastSeen { get; set; }

            public long NextAttempt { get; set; } = long.MinValue;

            public int Failures { get; set; }

            public bool AskedToNegotiate { get; set; }

            public long NegotiationAskedAt { get; set; }
        }

        private sealed record Pending(string Address, long Since);
    }
}
