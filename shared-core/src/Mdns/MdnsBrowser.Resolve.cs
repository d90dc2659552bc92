using System.Collections;
using AetherEdge.Core.Dns;

namespace AetherEdge.Core.Mdns
{
    /// <summary>Resolution, refresh and known-answer query building of <see cref="MdnsBrowser"/>.</summary>
    public sealed partial class MdnsBrowser
    {
        private void Reconcile(long nowMs)
        {
            Hashtable current = new Hashtable();
            ArrayList ptrs = _cache.Find(_serviceType, DnsType.Ptr, nowMs);
            for (int i = 0; i < ptrs.Count; i++)
            {
                DnsName instance = ((DnsRecord)ptrs[i]!).Target!;
                MdnsServiceInstance? s = TryResolve(instance, nowMs);
                if (s != null)
                {
                    current[instance.Key()] = s;
                }
            }

            ArrayList lost = new ArrayList();
            foreach (DictionaryEntry e in _known)
            {
                if (!current.Contains(e.Key))
                {
                    lost.Add(e.Key);
                }
            }

            for (int i = 0; i < lost.Count; i++)
            {
                MdnsServiceInstance gone = (MdnsServiceInstance)_known[lost[i]!]!;
                _known.Remove(lost[i]!);
                _listener.ServiceLost(gone);
            }

            foreach (DictionaryEntry e in current)
            {
                MdnsServiceInstance s = (MdnsServiceInstance)e.Value!;
                MdnsServiceInstance? before = (MdnsServiceInstance?)_known[e.Key];
                if (before == null || !before.SameAs(s))
                {
                    _known[e.Key] = s;
                    _listener.ServiceResolved(s, before == null);
                }
            }
        }

        private MdnsServiceInstance? TryResolve(DnsName instance, long nowMs)
        {
            DnsRecord? srv = Newest(_cache.Find(instance, DnsType.Srv, nowMs));
            DnsRecord? txt = Newest(_cache.Find(instance, DnsType.Txt, nowMs));
            if (srv == null || txt == null)
            {
                return null;
            }

            ArrayList a = _cache.Find(srv.Target!, DnsType.A, nowMs);
            AddAll(a, _cache.Find(srv.Target!, DnsType.Aaaa, nowMs));
            if (a.Count == 0)
            {
                return null;
            }

            byte[][] addresses = new byte[a.Count][];
            for (int i = 0; i < addresses.Length; i++)
            {
                addresses[i] = ((DnsRecord)a[i]!).Address!;
            }

            return new MdnsServiceInstance(instance, srv.Target!, srv.Port, txt.TxtStrings ?? new byte[0][], addresses);
        }

        private static DnsRecord? Newest(ArrayList records)
        {
            return records.Count == 0 ? null : (DnsRecord)records[records.Count - 1]!;
        }

        /// <summary>Instances with a PTR but no SRV/TXT, or an SRV target without addresses, get queried with backoff.</summary>
        private void AddResolveQuestions(ArrayList questions, long nowMs)
        {
            Hashtable needed = new Hashtable();
            ArrayList ptrs = _cache.Find(_serviceType, DnsType.Ptr, nowMs);
            for (int i = 0; i < ptrs.Count; i++)
            {
                DnsName instance = ((DnsRecord)ptrs[i]!).Target!;
                DnsRecord? srv = Newest(_cache.Find(instance, DnsType.Srv, nowMs));
                if (srv == null || _cache.Find(instance, DnsType.Txt, nowMs).Count == 0)
                {
                    needed["s" + instance.Key()] = instance;
                }
                else if (_cache.Find(srv.Target!, DnsType.A, nowMs).Count == 0 && _cache.Find(srv.Target!, DnsType.Aaaa, nowMs).Count == 0)
                {
                    needed["h" + srv.Target!.Key()] = srv.Target!;
                }
            }

            ArrayList done = new ArrayList();
            foreach (DictionaryEntry e in _resolveNext)
            {
                if (!needed.Contains(e.Key))
                {
                    done.Add(e.Key);
                }
            }

            for (int i = 0; i < done.Count; i++)
            {
                _resolveNext.Remove(done[i]!);
                _resolveGap.Remove(done[i]!);
            }

            foreach (DictionaryEntry e in needed)
            {
                string key = (string)e.Key;
                object? next = _resolveNext[key];
                if (next != null && (long)next > nowMs)
                {
                    continue;
                }

                long gap = _resolveGap[key] == null ? MdnsLimits.QueryFirstGapMs : (long)_resolveGap[key]!;
                _resolveNext[key] = nowMs + gap;
                _resolveGap[key] = gap * 2 > MdnsLimits.QueryMaxGapMs ? (long)MdnsLimits.QueryMaxGapMs : gap * 2;
                DnsName name = (DnsName)e.Value!;
                if (key[0] == 's')
                {
                    questions.Add(new DnsQuestion(name, DnsType.Srv, false));
                    questions.Add(new DnsQuestion(name, DnsType.Txt, false));
                }
                else
                {
                    questions.Add(new DnsQuestion(name, DnsType.A, false));
                    questions.Add(new DnsQuestion(name, DnsType.Aaaa, false));
                }
            }
        }

        /// <summary>Refresh records we care about at 80/85/90/95 % of their TTL (§5.2).</summary>
        private void AddRefreshQuestions(ArrayList questions, long nowMs)
        {
            for (int i = 0; i < _cache.Count; i++)
            {
                MdnsCacheEntry e = _cache[i];
                if (e.NextRefreshMs > nowMs)
                {
                    continue;
                }

                _cache.AdvanceRefresh(e);
                DnsRecord r = e.Record;
                if (IsOfInterest(r, nowMs) && !HasQuestion(questions, r.Name, r.Type))
                {
                    questions.Add(new DnsQuestion(r.Name, r.Type, false));
                }
            }
        }

        private bool IsOfInterest(DnsRecord r, long nowMs)
        {
            if (r.Type == DnsType.Ptr)
            {
                return r.Name.NameEquals(_serviceType);
            }

            ArrayList ptrs = _cache.Find(_serviceType, DnsType.Ptr, nowMs);
            for (int i = 0; i < ptrs.Count; i++)
            {
                DnsName instance = ((DnsRecord)ptrs[i]!).Target!;
                if ((r.Type == DnsType.Srv || r.Type == DnsType.Txt) && r.Name.NameEquals(instance))
                {
                    return true;
                }

                if (r.Type == DnsType.A || r.Type == DnsType.Aaaa)
                {
                    ArrayList srvs = _cache.Find(instance, DnsType.Srv, nowMs);
                    for (int j = 0; j < srvs.Count; j++)
                    {
                        if (r.Name.NameEquals(((DnsRecord)srvs[j]!).Target))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private static bool HasQuestion(ArrayList questions, DnsName name, int type)
        {
            for (int i = 0; i < questions.Count; i++)
            {
                DnsQuestion q = (DnsQuestion)questions[i]!;
                if (q.Type == type && q.Name.NameEquals(name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Sends the questions with known answers (cached records with over half their TTL left, §7.1),
        /// split over several packets with TC set when they do not fit one (§7.2).
        /// </summary>
        private void SendQuery(ArrayList questions, long nowMs)
        {
            ArrayList known = new ArrayList();
            for (int i = 0; i < _cache.Count; i++)
            {
                MdnsCacheEntry e = _cache[i];
                long ttlLeft = e.RemainingTtl(nowMs);
                if (ttlLeft * 2 <= e.Record.Ttl)
                {
                    continue;
                }

                for (int q = 0; q < questions.Count; q++)
                {
                    if (((DnsQuestion)questions[q]!).Matches(e.Record))
                    {
                        DnsRecord k = e.Record.Clone();
                        k.CacheFlush = false;
                        k.Ttl = ttlLeft;
                        known.Add(k);
                        break;
                    }
                }
            }

            DnsMessage m = new DnsMessage();
            AddAll(m.Questions, questions);
            int next = 0;
            while (true)
            {
                int fitted = 0;
                int written = 0;
                while (next + fitted < known.Count)
                {
                    m.Answers.Add(known[next + fitted]);
                    if (!m.TryWrite(_buffer, 0, MaxPacketLength, out written))
                    {
                        m.Answers.RemoveAt(m.Answers.Count - 1);
                        break;
                    }

                    fitted++;
                }

                bool more = next + fitted < known.Count && fitted > 0;
                m.Flags = more ? DnsMessage.FlagTruncated : 0;
                if (m.TryWrite(_buffer, 0, MaxPacketLength, out written))
                {
                    _sink.Send(_buffer, written, null);
                }

                if (!more)
                {
                    return;
                }

                next += fitted;
                m = new DnsMessage();
            }
        }
    }
}
