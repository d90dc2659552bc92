using AetherEdge.Core.WifiDirect;

namespace AetherEdge.HostNode.WifiDirect
{
    public sealed partial class P2pManager
    {
        private void OnGroupStarted(P2pEvent e, long now)
        {
            var role = e.Positional(1) == "GO" ? P2pRole.GroupOwner : P2pRole.Client;
            string? go = P2pAddress.Normalize(e.Get("go_dev_addr"));
            if (role == P2pRole.Client && go != null && IsAvoided(go, now))
            {
                // Re-invited into a group we left as unverified: leave again at once.
                TryRequest("P2P_GROUP_REMOVE " + e.Positional(0));
                ForgetPersistent(go);
                Counters.LeftUnverified();
                return;
            }

            var info = new P2pGroup(e.Positional(0)!, role, go, e.HasFlag("[PERSISTENT]"), e.Get("ip_addr"), e.Get("ip_mask"), e.Get("go_ip_addr"));
            if (_pending != null && _peers.TryGetValue(_pending.Address, out var peer))
            {
                peer.Failures = 0;
            }

            _pending = null;
            _group = new ActiveGroup(info, now);
            Counters.GroupStarted();
            if (info.Persistent)
            {
                LoadPersistentGroups();
            }

            _network.GroupUp(info);
        }

        private void OnGroupRemoved(string ifname)
        {
            if (_group == null || _group.Info.Interface != ifname)
            {
                return;
            }

            var info = _group.Info;
            _group = null;
            _lastFind = long.MinValue;
            _network.GroupDown(info);
        }

        private void OnStationConnected(P2pEvent e, long now)
        {
            if (_group == null || _group.Info.Role != P2pRole.GroupOwner)
            {
                return;
            }

            string station = e.PeerAddress!;
            _group.Members.Add(station);
            if (!_peers.TryGetValue(station, out var peer) || !peer.Trusted)
            {
                // It gets no shard: the sync listener's TLS refuses devices outside the circle.
                Counters.Stranger();
            }

            _group.LastTraffic = Math.Max(_group.LastTraffic, now);
            if (_group.Info.Persistent)
            {
                // wpa_supplicant adds the station to the group's p2p_client_list now: re-invite it next time.
                LoadPersistentGroups();
            }
        }

        // A device asks by push button to join our group: only trusted peers, only while there is room.
        private void OnJoinRequest(string address)
        {
            bool room = _group != null && _group.Info.Role == P2pRole.GroupOwner && _group.Members.Count + 1 < WifiDirectLimits.MaxGroupSize;
            if (!room || !_peers.TryGetValue(address, out var peer) || !peer.Trusted || IsAvoided(address, _clock.MonotonicMilliseconds))
            {
                Counters.Refused();
                return;
            }

            try
            {
                _control.RequestOn(_group!.Info.Interface, "WPS_PBC " + address);
            }
            catch (WpaLinkException)
            {
                Counters.Refused();
            }
        }

        private void TickGroup(long now)
        {
            var g = _group!;
            if (!g.Verified && now - g.Started > (long)_options.VerifyTimeout.TotalMilliseconds)
            {
                LeaveUnverified(g, now);
                return;
            }

            if (now - g.LastTraffic > (long)_options.IdleTimeout.TotalMilliseconds)
            {
                Counters.IdleRemoved();
                RemoveGroup(g);
            }
        }

        // Threat 4: no device of the circle proved itself here. A client leaves and avoids that GO;
        // a GO with nobody trusted in its group closes it.
        private void LeaveUnverified(ActiveGroup g, long now)
        {
            if (g.Info.Role == P2pRole.Client && g.Info.GoDeviceAddress != null)
            {
                _avoid[g.Info.GoDeviceAddress] = now + (long)_options.AvoidFor.TotalMilliseconds;
                if (_avoid.Count > _options.MaxPeers)
                {
                    _avoid.Remove(_avoid.OrderBy(kv => kv.Value).First().Key);
                }
            }

            Counters.LeftUnverified();
            RemoveGroup(g);
            if (g.Info.Role == P2pRole.Client && g.Info.GoDeviceAddress != null)
            {
                ForgetPersistent(g.Info.GoDeviceAddress);
            }
        }

        // Drops the stored persistent group with that GO (REMOVE_NETWORK), so it cannot re-invite us without a button.
        private void ForgetPersistent(string go)
        {
            LoadPersistentGroups();
            if (_persistentIds.Remove(go, out int id))
            {
                TryRequest("REMOVE_NETWORK " + id);
            }
        }

        // P2P-INVITATION-RESULT status=0: the group starts (GROUP-STARTED follows). Anything else failed; status 8
        // (unknown group: the peer no longer has our persistent group) means negotiate afresh next time.
        private void OnInvitationResult(string? status, long now)
        {
            if (_pending == null || status == "0")
            {
                return;
            }

            if (status == "8")
            {
                _persistentIds.Remove(_pending.Address);
            }

            FormationFailed(now);
        }

        private void RemoveGroup(ActiveGroup g)
        {
            TryRequest("P2P_GROUP_REMOVE " + g.Info.Interface);

            // wpa_supplicant confirms with P2P-GROUP-REMOVED; the interface is gone for us already.
            _group = null;
            _lastFind = long.MinValue;
            _network.GroupDown(g.Info);
        }

        // LIST_NETWORKS: "id\tssid\tbssid\tflags" lines; persistent groups carry [P2P-PERSISTENT]. For a group we joined
        // the bssid is the GO's device address; for one we owned, GET_NETWORK <id> p2p_client_list names the clients
        // (space-separated, FAIL when none). Those peers are re-invited (P2P_INVITE) instead of negotiating.
        private void LoadPersistentGroups()
        {
            string list = TryRequest("LIST_NETWORKS");
            foreach (string line in list.Split('\n'))
            {
                string[] f = line.Split('\t');
                if (f.Length < 4 || !f[3].Contains("[P2P-PERSISTENT]", StringComparison.Ordinal) || !int.TryParse(f[0], out int id))
                {
                    continue;
                }

                RememberPersistent(f[2], id);
                foreach (string client in TryRequest("GET_NETWORK " + id + " p2p_client_list").Trim().Split(' '))
                {
                    RememberPersistent(client, id);
                }
            }
        }

        private void RememberPersistent(string address, int id)
        {
            if (P2pAddress.Normalize(address) is { } a && a != P2pAddress.Any && (_persistentIds.Count < _options.MaxPeers || _persistentIds.ContainsKey(a)))
            {
                _persistentIds[a] = id;
            }
        }

        private sealed class ActiveGroup
        {
            public ActiveGroup(P2pGroup info, long now)
            {
                Info = info;
                Started = now;
                LastTraffic = now;
            }

            public P2pGroup Info { get; }

            public long Started { get; }

            public long LastTraffic { get; set; }

            public bool Verified { get; set; }

            public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
        }
    }
}
