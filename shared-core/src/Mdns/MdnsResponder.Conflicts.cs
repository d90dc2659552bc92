using System.Collections;
using AetherEdge.Core.Dns;

namespace AetherEdge.Core.Mdns
{
    /// <summary>Conflict detection, simultaneous-probe tie-break and probe defence of <see cref="MdnsResponder"/>.</summary>
    public sealed partial class MdnsResponder
    {
        private void HandleResponse(DnsMessage m, long nowMs)
        {
            DnsName instance = _service.InstanceName(InstanceLabel);
            DnsName host = MdnsServiceDescription.HostName(HostLabel);
            for (int s = 0; s < 3; s++)
            {
                ArrayList section = s == 0 ? m.Answers : (s == 1 ? m.Authorities : m.Additionals);
                for (int i = 0; i < section.Count; i++)
                {
                    DnsRecord r = (DnsRecord)section[i]!;
                    if (r.Ttl == 0 || OwnsIdentical(r))
                    {
                        SuppressDuplicate(r);
                        continue;
                    }

                    bool isInstance = r.Name.NameEquals(instance);
                    bool isHost = r.Name.NameEquals(host);
                    if (!isInstance && !isHost)
                    {
                        continue;
                    }

                    // While probing any record with our name conflicts (§8.1); once claimed only a
                    // differing record of a unique type we own does (§9).
                    if (State == MdnsResponderState.Probing || OwnsUniqueOfType(r))
                    {
                        if (State == MdnsResponderState.Probing)
                        {
                            Conflict(isInstance, nowMs);
                        }
                        else
                        {
                            _conflictTimes[_conflictCount % _conflictTimes.Length] = nowMs;
                            _conflictCount++;
                            RestartProbing(nowMs);
                        }

                        return;
                    }
                }
            }
        }

        /// <summary>Simultaneous probe (§8.2) or a probe for a name we own (defend at once). True if handled.</summary>
        private bool HandleProbe(DnsMessage m, long nowMs)
        {
            bool handled = false;
            for (int n = 0; n < 2; n++)
            {
                DnsName name = n == 0 ? _service.InstanceName(InstanceLabel) : MdnsServiceDescription.HostName(HostLabel);
                ArrayList theirs = new ArrayList();
                for (int i = 0; i < m.Authorities.Count; i++)
                {
                    DnsRecord r = (DnsRecord)m.Authorities[i]!;
                    if (r.Name.NameEquals(name))
                    {
                        theirs.Add(r);
                    }
                }

                if (theirs.Count == 0)
                {
                    continue;
                }

                ArrayList ours = new ArrayList();
                for (int i = 0; i < _records.Count; i++)
                {
                    DnsRecord r = (DnsRecord)_records[i]!;
                    if (r.CacheFlush && r.Name.NameEquals(name))
                    {
                        ours.Add(r);
                    }
                }

                int order = MdnsProbeRules.CompareSets(ours, theirs);
                if (order == 0)
                {
                    continue;
                }

                handled = true;
                if (State == MdnsResponderState.Probing)
                {
                    if (order < 0)
                    {
                        // We lost the tie-break: wait 1 s, then probe the same name again (§8.2).
                        _probesSent = 0;
                        _next = nowMs + MdnsLimits.ProbeLoserWaitMs;
                    }
                }
                else if (Claimed)
                {
                    Defend(ours, nowMs);
                }
            }

            return handled;
        }

        private void Defend(ArrayList ours, long nowMs)
        {
            DnsMessage m = NewResponse(0);
            for (int i = 0; i < ours.Count; i++)
            {
                int index = _records.IndexOf(ours[i]);
                if (nowMs - _lastMulticast[index] >= MdnsLimits.ProbeDefenceIntervalMs)
                {
                    m.Answers.Add(ours[i]);
                    _lastMulticast[index] = nowMs;
                }
            }

            if (m.Answers.Count > 0)
            {
                Send(m, null);
            }
        }

        private bool OwnsIdentical(DnsRecord r)
        {
            for (int i = 0; i < _records.Count; i++)
            {
                if (((DnsRecord)_records[i]!).SameRecord(r))
                {
                    return true;
                }
            }

            return false;
        }

        private bool OwnsUniqueOfType(DnsRecord r)
        {
            for (int i = 0; i < _records.Count; i++)
            {
                DnsRecord o = (DnsRecord)_records[i]!;
                if (o.CacheFlush && o.Type == r.Type && o.Class == r.Class && o.Name.NameEquals(r.Name))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
