using System.Collections;
using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Dns;

namespace AetherEdge.Core.Mdns
{
    /// <summary>One cached record with its timing.</summary>
    public sealed class MdnsCacheEntry
    {
        internal MdnsCacheEntry(DnsRecord record)
        {
            Record = record;
        }

        /// <summary>The record (cache-flush bit as received).</summary>
        public DnsRecord Record { get; internal set; }

        /// <summary>When it was last received.</summary>
        public long ReceivedMs { get; internal set; }

        /// <summary>When it expires.</summary>
        public long ExpiresMs { get; internal set; }

        /// <summary>Refresh queries already due (0..4, §5.2).</summary>
        public int RefreshStage { get; internal set; }

        /// <summary>When the next refresh query is due; long.MaxValue for none.</summary>
        public long NextRefreshMs { get; internal set; }

        /// <summary>Queries seen since the record was last received that it should have answered (POOF, §10.5).</summary>
        public int UnansweredQueries { get; internal set; }

        /// <summary>When the first of <see cref="UnansweredQueries"/> was seen.</summary>
        public long FirstUnansweredMs { get; internal set; }

        /// <summary>Seconds of TTL left at <paramref name="nowMs"/>.</summary>
        public long RemainingTtl(long nowMs)
        {
            long ms = ExpiresMs - nowMs;
            return ms <= 0 ? 0 : ms / 1000;
        }
    }

    /// <summary>
    /// Per-interface record cache: TTL expiry, goodbyes kept 1 s (§10.1), cache-flush (§10.2),
    /// the 80/85/90/95 % refresh schedule (§5.2), passive observation of failures (§10.5) and
    /// re-confirmation after a link change (§10.3).
    /// </summary>
    public sealed class MdnsCache
    {
        private readonly ArrayList _entries = new ArrayList();
        private readonly IRandomSource _random;

        /// <summary>Creates an empty cache.</summary>
        public MdnsCache(IRandomSource random)
        {
            _random = random;
        }

        /// <summary>Number of entries.</summary>
        public int Count
        {
            get { return _entries.Count; }
        }

        /// <summary>Entry <paramref name="index"/>.</summary>
        public MdnsCacheEntry this[int index]
        {
            get { return (MdnsCacheEntry)_entries[index]!; }
        }

        /// <summary>
        /// Caches every record of one response. Cache-flush records make older members of the same
        /// RRSet (received over 1 s ago, not in this packet) expire in 1 s. Returns true if anything changed.
        /// </summary>
        public bool AddResponse(ArrayList records, long nowMs)
        {
            bool changed = false;
            for (int i = 0; i < records.Count; i++)
            {
                DnsRecord r = (DnsRecord)records[i]!;
                if (r.CacheFlush && r.Ttl > 0)
                {
                    for (int j = 0; j < _entries.Count; j++)
                    {
                        MdnsCacheEntry e = (MdnsCacheEntry)_entries[j]!;
                        DnsRecord c = e.Record;
                        if (c.Type == r.Type && c.Class == r.Class && c.Name.NameEquals(r.Name)
                            && e.ReceivedMs < nowMs - MdnsLimits.FlushGraceMs && !InList(records, c)
                            && e.ExpiresMs > nowMs + MdnsLimits.FlushGraceMs)
                        {
                            Expire(e, nowMs);
                            changed = true;
                        }
                    }
                }
            }

            for (int i = 0; i < records.Count; i++)
            {
                changed |= Add((DnsRecord)records[i]!, nowMs);
            }

            return changed;
        }

        /// <summary>
        /// POOF (§10.5): a multicast QM query from port 5353 that a cached record answers, and that does not
        /// list it as a known answer, should draw a multicast answer. Once <see cref="MdnsLimits.PoofMinQueries"/>
        /// such queries went unanswered, the record expires <see cref="MdnsLimits.PoofWindowMs"/> after the
        /// first of them (at least <see cref="MdnsLimits.PoofAnswerGraceMs"/> after the latest) unless an
        /// answer re-confirms it. Queries within 1 s of the record's last multicast are ignored: the
        /// responder's rate limit (§6) keeps it silent then. Returns true if an expiry moved.
        /// </summary>
        public bool ObserveQuery(DnsMessage query, long nowMs)
        {
            // With TC set the known answers continue in later packets; the record may be among them.
            if (query.IsResponse || query.IsTruncated)
            {
                return false;
            }

            bool moved = false;
            for (int i = 0; i < _entries.Count; i++)
            {
                MdnsCacheEntry e = (MdnsCacheEntry)_entries[i]!;
                if (e.ExpiresMs <= nowMs || nowMs - e.ReceivedMs < MdnsLimits.MulticastRecordIntervalMs
                    || !AskedByMulticast(query, e.Record) || InList(query.Answers, e.Record))
                {
                    continue;
                }

                if (e.UnansweredQueries == 0)
                {
                    e.FirstUnansweredMs = nowMs;
                }

                e.UnansweredQueries++;
                if (e.UnansweredQueries >= MdnsLimits.PoofMinQueries)
                {
                    long deadline = e.FirstUnansweredMs + MdnsLimits.PoofWindowMs;
                    if (deadline < nowMs + MdnsLimits.PoofAnswerGraceMs)
                    {
                        deadline = nowMs + MdnsLimits.PoofAnswerGraceMs;
                    }

                    if (deadline < e.ExpiresMs)
                    {
                        e.ExpiresMs = deadline;
                        moved = true;
                    }
                }
            }

            return moved;
        }

        /// <summary>
        /// A link change (§10.3): every record now expires within <see cref="MdnsLimits.LinkChangeRecordGraceMs"/>
        /// unless an answer re-confirms it; refresh queries for it start at 80 % of that grace.
        /// </summary>
        public void ExpireSoon(long nowMs)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                MdnsCacheEntry e = (MdnsCacheEntry)_entries[i]!;
                if (e.ExpiresMs > nowMs + MdnsLimits.LinkChangeRecordGraceMs)
                {
                    e.ReceivedMs = nowMs;
                    e.ExpiresMs = nowMs + MdnsLimits.LinkChangeRecordGraceMs;
                    e.RefreshStage = 0;
                    ScheduleRefresh(e);
                }
            }
        }

        /// <summary>Removes expired entries and returns them.</summary>
        public ArrayList RemoveExpired(long nowMs)
        {
            ArrayList removed = new ArrayList();
            for (int i = _entries.Count - 1; i >= 0; i--)
            {
                MdnsCacheEntry e = (MdnsCacheEntry)_entries[i]!;
                if (e.ExpiresMs <= nowMs)
                {
                    removed.Add(e);
                    _entries.RemoveAt(i);
                }
            }

            return removed;
        }

        /// <summary>Live records with this name and type (<see cref="DnsType.Any"/> for all types).</summary>
        public ArrayList Find(DnsName name, int type, long nowMs)
        {
            ArrayList found = new ArrayList();
            for (int i = 0; i < _entries.Count; i++)
            {
                MdnsCacheEntry e = (MdnsCacheEntry)_entries[i]!;
                if (e.ExpiresMs > nowMs && (type == DnsType.Any || e.Record.Type == type) && e.Record.Name.NameEquals(name))
                {
                    found.Add(e.Record);
                }
            }

            return found;
        }

        /// <summary>Earliest expiry or (when <paramref name="withRefresh"/>) refresh time; long.MaxValue when empty.</summary>
        public long NextEventMs(bool withRefresh)
        {
            long t = long.MaxValue;
            for (int i = 0; i < _entries.Count; i++)
            {
                MdnsCacheEntry e = (MdnsCacheEntry)_entries[i]!;
                if (e.ExpiresMs < t)
                {
                    t = e.ExpiresMs;
                }

                if (withRefresh && e.NextRefreshMs < t)
                {
                    t = e.NextRefreshMs;
                }
            }

            return t;
        }

        /// <summary>Moves an entry to its next refresh point (or none after 95 %).</summary>
        public void AdvanceRefresh(MdnsCacheEntry e)
        {
            e.RefreshStage++;
            ScheduleRefresh(e);
        }

        private bool Add(DnsRecord r, long nowMs)
        {
            MdnsCacheEntry? existing = null;
            for (int j = 0; j < _entries.Count && existing == null; j++)
            {
                MdnsCacheEntry e = (MdnsCacheEntry)_entries[j]!;
                if (e.Record.SameRecord(r))
                {
                    existing = e;
                }
            }

            if (r.Ttl == 0)
            {
                // Goodbye: keep it for one more second (§10.1).
                if (existing != null && existing.ExpiresMs > nowMs + MdnsLimits.FlushGraceMs)
                {
                    Expire(existing, nowMs);
                    return true;
                }

                return false;
            }

            bool isNew = existing == null;
            if (existing == null)
            {
                if (_entries.Count >= MdnsLimits.MaxCacheEntries)
                {
                    return false;
                }

                existing = new MdnsCacheEntry(r);
                _entries.Add(existing);
            }

            bool dataChanged = isNew || !SameBytes(existing.Record, r);
            existing.Record = r;
            existing.ReceivedMs = nowMs;
            existing.ExpiresMs = nowMs + (r.Ttl * 1000);
            existing.RefreshStage = 0;
            existing.UnansweredQueries = 0;
            ScheduleRefresh(existing);
            return dataChanged;
        }

        private void Expire(MdnsCacheEntry e, long nowMs)
        {
            e.ReceivedMs = nowMs;
            e.ExpiresMs = nowMs + MdnsLimits.FlushGraceMs;
            e.RefreshStage = MdnsLimits.RefreshSteps;
            e.NextRefreshMs = long.MaxValue;
        }

        private void ScheduleRefresh(MdnsCacheEntry e)
        {
            if (e.RefreshStage >= MdnsLimits.RefreshSteps)
            {
                e.NextRefreshMs = long.MaxValue;
                return;
            }

            long ttlMs = e.ExpiresMs - e.ReceivedMs;
            int percent = MdnsLimits.RefreshFirstPercent + (5 * e.RefreshStage);
            // Jitter in hundredths of a percent: 0..2 % of the TTL.
            long jitter = _random.Next((MdnsLimits.RefreshJitterPercent * 100) + 1);
            e.NextRefreshMs = e.ReceivedMs + ((ttlMs * ((percent * 100) + jitter)) / 10000);
        }

        private static bool AskedByMulticast(DnsMessage query, DnsRecord r)
        {
            for (int q = 0; q < query.Questions.Count; q++)
            {
                DnsQuestion question = (DnsQuestion)query.Questions[q]!;
                if (!question.UnicastResponse && question.Matches(r))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool InList(ArrayList records, DnsRecord r)
        {
            for (int i = 0; i < records.Count; i++)
            {
                if (((DnsRecord)records[i]!).SameRecord(r))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SameBytes(DnsRecord a, DnsRecord b)
        {
            return DnsRecord.CompareBytes(a.CanonicalRdata(), b.CanonicalRdata()) == 0;
        }
    }
}
