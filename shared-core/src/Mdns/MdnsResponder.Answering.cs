using System.Collections;
using AetherEdge.Core.Dns;

namespace AetherEdge.Core.Mdns
{
    /// <summary>Query answering of <see cref="MdnsResponder"/>: known answers, QU, legacy, additionals, delays.</summary>
    public sealed partial class MdnsResponder
    {
        private bool Claimed
        {
            get { return State == MdnsResponderState.Announcing || State == MdnsResponderState.Claimed; }
        }

        private void HandleQuery(DnsMessage m, MdnsSource source, long nowMs)
        {
            if (!source.IsLegacy && m.Authorities.Count > 0 && HandleProbe(m, nowMs))
            {
                return;
            }

            if (!Claimed)
            {
                return;
            }

            // Known answers in this packet (possibly a TC continuation) cancel pending multicast answers.
            for (int i = 0; i < m.Answers.Count; i++)
            {
                SuppressKnown(_pending, (DnsRecord)m.Answers[i]!);
                SuppressKnown(_pendingAdditional, (DnsRecord)m.Answers[i]!);
            }

            ArrayList answers = new ArrayList();
            ArrayList wantsUnicast = new ArrayList();
            for (int q = 0; q < m.Questions.Count; q++)
            {
                DnsQuestion question = (DnsQuestion)m.Questions[q]!;
                for (int i = 0; i < _records.Count; i++)
                {
                    DnsRecord r = (DnsRecord)_records[i]!;
                    if (question.Matches(r) && !answers.Contains(r) && !IsKnownAnswer(m, r))
                    {
                        answers.Add(r);
                        wantsUnicast.Add(question.UnicastResponse || source.UnicastDestination);
                    }
                }
            }

            if (answers.Count == 0)
            {
                return;
            }

            ArrayList additional = Additionals(answers, m);
            if (source.IsLegacy)
            {
                if (_unicastLimit.TryTake(source.Address, nowMs))
                {
                    SendLegacy(m, answers, additional, source);
                }

                return;
            }

            // Only ask the unicast budget when some answer would go by unicast; refused QU answers fall
            // back to the multicast path, which sends each record at most once a second.
            bool unicastAllowed = true;
            for (int i = 0; i < answers.Count; i++)
            {
                DnsRecord r = (DnsRecord)answers[i]!;
                if ((bool)wantsUnicast[i]! && nowMs - _lastMulticast[_records.IndexOf(r)] < r.Ttl * 250)
                {
                    unicastAllowed = _unicastLimit.TryTake(source.Address, nowMs);
                    break;
                }
            }

            ArrayList unicast = new ArrayList();
            bool shared = false;
            int queued = 0;
            for (int i = 0; i < answers.Count; i++)
            {
                DnsRecord r = (DnsRecord)answers[i]!;
                int index = _records.IndexOf(r);
                // QU is answered by unicast unless the record was not multicast within a quarter TTL (§5.4).
                if (unicastAllowed && (bool)wantsUnicast[i]! && nowMs - _lastMulticast[index] < r.Ttl * 250)
                {
                    unicast.Add(r);
                    continue;
                }

                if (nowMs - _lastMulticast[index] < MdnsLimits.MulticastRecordIntervalMs || _pending.Contains(r))
                {
                    continue;
                }

                shared |= !r.CacheFlush;
                _pending.Add(r);
                queued++;
            }

            if (unicast.Count > 0)
            {
                DnsMessage reply = NewResponse(0);
                AddAll(reply.Answers, unicast);
                AddAll(reply.Additionals, additional);
                Send(reply, source.Token);
            }

            if (queued > 0)
            {
                for (int i = 0; i < additional.Count; i++)
                {
                    if (!_pendingAdditional.Contains(additional[i]))
                    {
                        _pendingAdditional.Add(additional[i]);
                    }
                }

                // Unique answers go at once; shared ones wait 20–120 ms, or 400–500 ms when TC says
                // more known answers follow (§6, §7.2).
                long delay = 0;
                if (m.IsTruncated)
                {
                    delay = MdnsLimits.TruncatedMinDelayMs + _random.Next(MdnsLimits.TruncatedMaxDelayMs - MdnsLimits.TruncatedMinDelayMs + 1);
                }
                else if (shared)
                {
                    delay = MdnsLimits.SharedAnswerMinDelayMs + _random.Next(MdnsLimits.SharedAnswerMaxDelayMs - MdnsLimits.SharedAnswerMinDelayMs + 1);
                }

                if (nowMs + delay < _pendingDue)
                {
                    _pendingDue = nowMs + delay;
                }

                if (delay == 0)
                {
                    FlushPending(nowMs);
                }
            }
        }

        private void SendLegacy(DnsMessage query, ArrayList answers, ArrayList additional, MdnsSource source)
        {
            // Legacy unicast (§6.7): echo ID and questions, no cache-flush bit, TTL capped at 10 s.
            DnsMessage reply = NewResponse(query.Id);
            for (int i = 0; i < query.Questions.Count; i++)
            {
                DnsQuestion q = (DnsQuestion)query.Questions[i]!;
                reply.Questions.Add(new DnsQuestion(q.Name, q.Type, q.Class, false));
            }

            AddLegacy(reply.Answers, answers);
            AddLegacy(reply.Additionals, additional);
            Send(reply, source.Token);
        }

        private static void AddLegacy(ArrayList into, ArrayList records)
        {
            for (int i = 0; i < records.Count; i++)
            {
                DnsRecord r = ((DnsRecord)records[i]!).Clone();
                r.CacheFlush = false;
                if (r.Ttl > MdnsLimits.LegacyMaxTtl)
                {
                    r.Ttl = MdnsLimits.LegacyMaxTtl;
                }

                into.Add(r);
            }
        }

        private void FlushPending(long nowMs)
        {
            if (_pending.Count > 0)
            {
                DnsMessage m = NewResponse(0);
                AddAll(m.Answers, _pending);
                for (int i = 0; i < _pendingAdditional.Count; i++)
                {
                    if (!_pending.Contains(_pendingAdditional[i]))
                    {
                        m.Additionals.Add(_pendingAdditional[i]);
                    }
                }

                for (int i = 0; i < _pending.Count; i++)
                {
                    _lastMulticast[_records.IndexOf(_pending[i])] = nowMs;
                }

                Send(m, null);
            }

            _pending.Clear();
            _pendingAdditional.Clear();
            _pendingDue = long.MaxValue;
        }

        /// <summary>
        /// Additional records (RFC 6763 §12): PTR → SRV, TXT, addresses; SRV → addresses; an address
        /// record → the other family or an NSEC saying it does not exist. Known answers are left out.
        /// </summary>
        private ArrayList Additionals(ArrayList answers, DnsMessage query)
        {
            bool wantService = false;
            bool wantAddresses = false;
            for (int i = 0; i < answers.Count; i++)
            {
                DnsRecord r = (DnsRecord)answers[i]!;
                if (r.Type == DnsType.Ptr && r.Name.NameEquals(_service.ServiceType))
                {
                    wantService = true;
                    wantAddresses = true;
                }
                else if (r.Type == DnsType.Srv || r.Type == DnsType.A || r.Type == DnsType.Aaaa)
                {
                    wantAddresses = true;
                }
            }

            ArrayList extra = new ArrayList();
            bool hasV4 = false;
            bool hasV6 = false;
            for (int i = 0; i < _records.Count; i++)
            {
                DnsRecord r = (DnsRecord)_records[i]!;
                hasV4 |= r.Type == DnsType.A;
                hasV6 |= r.Type == DnsType.Aaaa;
                bool wanted = (wantService && (r.Type == DnsType.Srv || r.Type == DnsType.Txt))
                    || (wantAddresses && (r.Type == DnsType.A || r.Type == DnsType.Aaaa));
                if (wanted && !answers.Contains(r) && !IsKnownAnswer(query, r))
                {
                    extra.Add(r);
                }
            }

            if (wantAddresses && hasV4 != hasV6)
            {
                extra.Add(DnsRecord.CreateNsec(
                    MdnsServiceDescription.HostName(HostLabel),
                    new int[] { hasV4 ? DnsType.A : DnsType.Aaaa },
                    MdnsLimits.HostRecordTtl,
                    true));
            }

            return extra;
        }

        /// <summary>Known-answer rule (§7.1): skip a record the querier lists with at least half its TTL.</summary>
        private static bool IsKnownAnswer(DnsMessage query, DnsRecord r)
        {
            for (int i = 0; i < query.Answers.Count; i++)
            {
                DnsRecord k = (DnsRecord)query.Answers[i]!;
                if (k.Ttl * 2 >= r.Ttl && k.SameRecord(r))
                {
                    return true;
                }
            }

            return false;
        }

        private static void SuppressKnown(ArrayList pending, DnsRecord known)
        {
            for (int i = pending.Count - 1; i >= 0; i--)
            {
                DnsRecord r = (DnsRecord)pending[i]!;
                if (known.Ttl * 2 >= r.Ttl && known.SameRecord(r))
                {
                    pending.RemoveAt(i);
                }
            }
        }

        /// <summary>Duplicate answer suppression (§7.4): someone else just multicast what we were about to.</summary>
        private void SuppressDuplicate(DnsRecord r)
        {
            if (r.Ttl > 0)
            {
                SuppressKnown(_pending, r);
            }
        }

        private static void AddAll(ArrayList into, ArrayList from)
        {
            for (int i = 0; i < from.Count; i++)
            {
                into.Add(from[i]);
            }
        }
    }
}
