using System.Collections;
using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Dns;

namespace AetherEdge.Core.Mdns
{
    /// <summary>A resolved service instance as the browser last saw it.</summary>
    public sealed class MdnsServiceInstance
    {
        /// <summary>Creates a snapshot.</summary>
        public MdnsServiceInstance(DnsName instanceName, DnsName host, int port, byte[][] txt, byte[][] addresses)
        {
            InstanceName = instanceName;
            Host = host;
            Port = port;
            Txt = txt;
            Addresses = addresses;
        }

        /// <summary>Full instance name; its first label is the human-readable instance.</summary>
        public DnsName InstanceName { get; }

        /// <summary>The instance label ("Kitchen Hub").</summary>
        public string InstanceLabel
        {
            get { return InstanceName.Label(0); }
        }

        /// <summary>SRV target host.</summary>
        public DnsName Host { get; }

        /// <summary>SRV port.</summary>
        public int Port { get; }

        /// <summary>TXT strings; parse with <see cref="TxtProperties.Parse"/>.</summary>
        public byte[][] Txt { get; }

        /// <summary>4- and 16-byte addresses of the host.</summary>
        public byte[][] Addresses { get; }

        internal bool SameAs(MdnsServiceInstance o)
        {
            if (Port != o.Port || !Host.NameEquals(o.Host) || Txt.Length != o.Txt.Length || Addresses.Length != o.Addresses.Length)
            {
                return false;
            }

            for (int i = 0; i < Txt.Length; i++)
            {
                if (DnsRecord.CompareBytes(Txt[i], o.Txt[i]) != 0)
                {
                    return false;
                }
            }

            for (int i = 0; i < Addresses.Length; i++)
            {
                if (DnsRecord.CompareBytes(Addresses[i], o.Addresses[i]) != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Receives browse results.</summary>
    public interface IMdnsBrowserListener
    {
        /// <summary>An instance became resolvable (PTR, SRV, TXT and an address) or its data changed.</summary>
        void ServiceResolved(MdnsServiceInstance service, bool isNew);

        /// <summary>A previously resolved instance expired or said goodbye.</summary>
        void ServiceLost(MdnsServiceInstance service);
    }

    /// <summary>
    /// Continuous querier for one service type on one interface (§5.2): first query after 20–120 ms
    /// (QU), then gaps of 1 s doubling up to 60 min, known answers included; resolves missing SRV/TXT
    /// and addresses with their own backoff; refreshes records at 80–95 % of their TTL while interested.
    /// Watches other hosts' queries for duplicate question suppression (§7.3) and POOF (§10.5), and
    /// starts over after a link change (§5.2, §10.3).
    /// </summary>
    public sealed partial class MdnsBrowser
    {
        private readonly DnsName _serviceType;
        private readonly IMdnsSink _sink;
        private readonly IRandomSource _random;
        private readonly IMdnsBrowserListener _listener;
        private readonly MdnsCache _cache;
        private readonly Hashtable _known = new Hashtable();
        private readonly Hashtable _resolveNext = new Hashtable();
        private readonly Hashtable _resolveGap = new Hashtable();
        private readonly byte[] _buffer = new byte[DnsLimits.MaxMessageLength];
        private bool _interested;
        private bool _firstQuery;
        private long _nextQueryMs = long.MaxValue;
        private long _queryGapMs;
        private long _queryIntervalMs;
        private long _lastQuMs = long.MinValue / 2;

        /// <summary>Creates a browser; call <see cref="Start"/> to begin querying.</summary>
        public MdnsBrowser(DnsName serviceType, IMdnsSink sink, IRandomSource random, IMdnsBrowserListener listener)
        {
            _serviceType = serviceType;
            _sink = sink;
            _random = random;
            _listener = listener;
            _cache = new MdnsCache(random);
        }

        /// <summary>The interface's record cache.</summary>
        public MdnsCache Cache
        {
            get { return _cache; }
        }

        /// <summary>Payload limit of one query packet (IPv4 MTU by default).</summary>
        public int MaxPacketLength { get; set; } = DnsLimits.Ipv4MulticastPayload;

        /// <summary>Earliest time <see cref="Step"/> has work.</summary>
        public long NextWakeMs
        {
            get
            {
                // Refresh points matter only while someone is interested (§5.2); expiry always does.
                long t = _cache.NextEventMs(_interested);
                if (_interested)
                {
                    if (_nextQueryMs < t)
                    {
                        t = _nextQueryMs;
                    }

                    foreach (DictionaryEntry e in _resolveNext)
                    {
                        if ((long)e.Value! < t)
                        {
                            t = (long)e.Value!;
                        }
                    }
                }

                return t;
            }
        }

        /// <summary>Starts querying: the first query goes out after 20–120 ms and asks for a unicast reply.</summary>
        public void Start(long nowMs)
        {
            _interested = true;
            _firstQuery = true;
            _queryGapMs = MdnsLimits.QueryFirstGapMs;
            _nextQueryMs = nowMs + MdnsLimits.QueryFirstMinDelayMs
                + _random.Next(MdnsLimits.QueryFirstMaxDelayMs - MdnsLimits.QueryFirstMinDelayMs + 1);
        }

        /// <summary>Stops querying and refreshing (the cache still expires).</summary>
        public void Stop()
        {
            _interested = false;
            _nextQueryMs = long.MaxValue;
        }

        /// <summary>
        /// A link change on this interface (§10.3): cached records must be re-confirmed within
        /// <see cref="MdnsLimits.LinkChangeRecordGraceMs"/>, and querying starts over with a QU query.
        /// </summary>
        public void LinkChanged(long nowMs)
        {
            _cache.ExpireSoon(nowMs);
            if (_interested)
            {
                Start(nowMs);
            }
        }

        /// <summary>
        /// Handles one parsed packet: responses from port 5353 are cached; other hosts' multicast queries
        /// from port 5353 feed POOF and duplicate question suppression.
        /// </summary>
        public void Receive(DnsMessage message, MdnsSource source, long nowMs)
        {
            if (message.Opcode != 0 || message.Rcode != 0 || source.IsLegacy)
            {
                return;
            }

            if (!message.IsResponse)
            {
                if (!source.UnicastDestination && !source.FromSelf)
                {
                    _cache.ObserveQuery(message, nowMs);
                    SuppressDuplicateQuestion(message, nowMs);
                }

                return;
            }

            if (source.UnicastDestination && nowMs - _lastQuMs > MdnsLimits.UnicastResponseWindowMs)
            {
                return;
            }

            ArrayList all = new ArrayList();
            AddAll(all, message.Answers);
            AddAll(all, message.Additionals);
            if (_cache.AddResponse(all, nowMs))
            {
                Reconcile(nowMs);
            }
        }

        /// <summary>Runs timers: expiry, the query schedule, resolution and refresh queries.</summary>
        public void Step(long nowMs)
        {
            if (_cache.RemoveExpired(nowMs).Count > 0)
            {
                Reconcile(nowMs);
            }

            if (!_interested)
            {
                return;
            }

            ArrayList questions = new ArrayList();
            if (nowMs >= _nextQueryMs)
            {
                questions.Add(new DnsQuestion(_serviceType, DnsType.Ptr, _firstQuery));
                if (_firstQuery)
                {
                    _lastQuMs = nowMs;
                }

                _firstQuery = false;
                _queryIntervalMs = _queryGapMs;
                _nextQueryMs = nowMs + _queryGapMs;
                _queryGapMs = _queryGapMs * 2 > MdnsLimits.QueryMaxGapMs ? MdnsLimits.QueryMaxGapMs : _queryGapMs * 2;
            }

            AddResolveQuestions(questions, nowMs);
            AddRefreshQuestions(questions, nowMs);
            if (questions.Count > 0)
            {
                SendQuery(questions, nowMs);
            }
        }

        /// <summary>
        /// Duplicate question suppression (§7.3): another host asked our QM question, listing no known
        /// answer we would not list ourselves, so responders answer it for us too. Our query counts as
        /// sent when it was due within the second half of its interval; our own looped-back query
        /// arrives with a whole interval to go and changes nothing. The first (QU) query is never
        /// suppressed, nor a query whose known answers continue in another packet (TC).
        /// </summary>
        private void SuppressDuplicateQuestion(DnsMessage query, long nowMs)
        {
            if (!_interested || _firstQuery || query.IsTruncated || (_nextQueryMs - nowMs) * 2 > _queryIntervalMs)
            {
                return;
            }

            DnsQuestion? same = null;
            for (int i = 0; i < query.Questions.Count && same == null; i++)
            {
                DnsQuestion q = (DnsQuestion)query.Questions[i]!;
                if (!q.UnicastResponse && q.Type == DnsType.Ptr && q.Class == DnsClass.In && q.Name.NameEquals(_serviceType))
                {
                    same = q;
                }
            }

            if (same == null)
            {
                return;
            }

            for (int i = 0; i < query.Answers.Count; i++)
            {
                DnsRecord known = (DnsRecord)query.Answers[i]!;
                if (same.Matches(known) && !WouldListAsKnown(known, nowMs))
                {
                    return;
                }
            }

            _queryIntervalMs = _queryGapMs;
            _nextQueryMs = nowMs + _queryGapMs;
            _queryGapMs = _queryGapMs * 2 > MdnsLimits.QueryMaxGapMs ? MdnsLimits.QueryMaxGapMs : _queryGapMs * 2;
        }

        /// <summary>True when our own query would carry <paramref name="record"/> as a known answer (§7.1).</summary>
        private bool WouldListAsKnown(DnsRecord record, long nowMs)
        {
            for (int i = 0; i < _cache.Count; i++)
            {
                MdnsCacheEntry e = _cache[i];
                if (e.Record.SameRecord(record) && e.RemainingTtl(nowMs) * 2 > e.Record.Ttl)
                {
                    return true;
                }
            }

            return false;
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
