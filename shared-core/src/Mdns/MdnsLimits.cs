namespace AetherEdge.Core.Mdns
{
    /// <summary>Every mDNS timing, TTL and count from RFC 6762/6763 used by the state machines.</summary>
    public static class MdnsLimits
    {
        /// <summary>The mDNS UDP port; responses from other ports are dropped (§6).</summary>
        public const int Port = 5353;

        /// <summary>Random delay before the first probe: 0..this (§8.1).</summary>
        public const int ProbeMaxInitialDelayMs = 250;

        /// <summary>Gap between probes, and the conflict window after the last one (§8.1).</summary>
        public const int ProbeIntervalMs = 250;

        /// <summary>Probes sent before a name is claimed (§8.1).</summary>
        public const int ProbeCount = 3;

        /// <summary>The loser of a simultaneous-probe tie-break waits this long, then probes again (§8.2).</summary>
        public const int ProbeLoserWaitMs = 1000;

        /// <summary>Window in which conflicts are counted for rate limiting (§8.1).</summary>
        public const int ConflictWindowMs = 10000;

        /// <summary>Conflicts within the window after which probing slows down (§8.1).</summary>
        public const int ConflictsBeforeBackoff = 15;

        /// <summary>Wait between probe attempts once too many conflicts happened (§8.1).</summary>
        public const int ConflictBackoffMs = 5000;

        /// <summary>Unsolicited announcements after claiming (at least 2, §8.3).</summary>
        public const int AnnounceCount = 3;

        /// <summary>First gap between announcements; each later gap doubles (§8.3).</summary>
        public const int AnnounceFirstGapMs = 1000;

        /// <summary>TTL of records that carry a host name: A, AAAA, SRV (§10).</summary>
        public const long HostRecordTtl = 120;

        /// <summary>TTL of the other records: PTR, TXT (§10).</summary>
        public const long OtherRecordTtl = 4500;

        /// <summary>Highest TTL in a reply to a legacy (non-5353) querier (§6.7).</summary>
        public const long LegacyMaxTtl = 10;

        /// <summary>Delay range for answers containing shared records (§6).</summary>
        public const int SharedAnswerMinDelayMs = 20;

        /// <summary>Upper end of <see cref="SharedAnswerMinDelayMs"/>.</summary>
        public const int SharedAnswerMaxDelayMs = 120;

        /// <summary>Delay range when the query has TC set: more known answers follow (§6).</summary>
        public const int TruncatedMinDelayMs = 400;

        /// <summary>Upper end of <see cref="TruncatedMinDelayMs"/>.</summary>
        public const int TruncatedMaxDelayMs = 500;

        /// <summary>A record is multicast at most once per this interval (§6).</summary>
        public const int MulticastRecordIntervalMs = 1000;

        /// <summary>Interval that applies instead when defending against a probe (§6).</summary>
        public const int ProbeDefenceIntervalMs = 250;

        /// <summary>Unicast responses are accepted only this long after our own QU query (§6, §5.4).</summary>
        public const int UnicastResponseWindowMs = 2000;

        /// <summary>Delay range before a browser's first query (§5.2).</summary>
        public const int QueryFirstMinDelayMs = 20;

        /// <summary>Upper end of <see cref="QueryFirstMinDelayMs"/>.</summary>
        public const int QueryFirstMaxDelayMs = 120;

        /// <summary>First gap between repeated queries; it at least doubles afterwards (§5.2).</summary>
        public const int QueryFirstGapMs = 1000;

        /// <summary>Cap on the gap between repeated queries: 60 minutes (§5.2).</summary>
        public const int QueryMaxGapMs = 3600000;

        /// <summary>First refresh point as a percentage of the TTL; then +5 % steps up to 95 % (§5.2).</summary>
        public const int RefreshFirstPercent = 80;

        /// <summary>Refresh queries per record lifetime (80, 85, 90, 95 %).</summary>
        public const int RefreshSteps = 4;

        /// <summary>Random extra 0..this percent added to each refresh point (§5.2).</summary>
        public const int RefreshJitterPercent = 2;

        /// <summary>Goodbyes and cache-flushed records are kept this long before removal (§10.1, §10.2).</summary>
        public const int FlushGraceMs = 1000;

        /// <summary>Unanswered queries for a cached record after which POOF flushes it (§10.5).</summary>
        public const int PoofMinQueries = 2;

        /// <summary>POOF: a record is flushed when no answer came this long after the first unanswered query (§10.5).</summary>
        public const int PoofWindowMs = 10000;

        /// <summary>POOF: time left for an answer after the latest unanswered query (covers the 500 ms TC delay).</summary>
        public const int PoofAnswerGraceMs = 1000;

        /// <summary>After a link change every cached record expires this soon unless re-confirmed (§10.3).</summary>
        public const int LinkChangeRecordGraceMs = 5000;

        /// <summary>Most records one interface cache holds (flood protection).</summary>
        public const int MaxCacheEntries = 1024;

        /// <summary>Unicast replies (legacy and QU) one source address may draw at once (the bucket size).</summary>
        public const int UnicastReplyBurst = 8;

        /// <summary>A source earns one more unicast reply per this interval (4 per second).</summary>
        public const int UnicastReplyIntervalMs = 250;

        /// <summary>Unicast replies per second to all sources together (and the shared bucket size).</summary>
        public const int UnicastRepliesPerSecond = 32;

        /// <summary>Source addresses whose unicast reply budget is remembered (least recently seen forgotten first).</summary>
        public const int MaxUnicastSources = 64;
    }
}
