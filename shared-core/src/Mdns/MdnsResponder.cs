using System.Collections;
using AetherEdge.Core.Abstractions;
using AetherEdge.Core.Dns;

namespace AetherEdge.Core.Mdns
{
    /// <summary>Lifecycle of a responder's names.</summary>
    public enum MdnsResponderState
    {
        /// <summary>Not started.</summary>
        Idle = 0,

        /// <summary>Probing the instance and host names (§8.1).</summary>
        Probing = 1,

        /// <summary>Names claimed; sending the unsolicited announcements (§8.3).</summary>
        Announcing = 2,

        /// <summary>Names claimed, announcements done; answering queries.</summary>
        Claimed = 3,

        /// <summary>Goodbyes sent; silent.</summary>
        Stopped = 4,
    }

    /// <summary>Which of a responder's two names another host already uses.</summary>
    public enum MdnsNameKind
    {
        /// <summary>The service instance name ("Name._service._tcp.local").</summary>
        Instance = 0,

        /// <summary>The host name ("host.local") the SRV and address records carry.</summary>
        Host = 1,
    }

    /// <summary>Tells the owner about name changes.</summary>
    public interface IMdnsResponderListener
    {
        /// <summary>Probing finished: the (possibly renamed) names are ours.</summary>
        void NameClaimed(string instanceLabel, string hostLabel);

        /// <summary>
        /// A conflict on the <paramref name="kind"/> name forced a rename (§9) from
        /// <paramref name="oldLabel"/> to <paramref name="newLabel"/>; the new name will be probed next.
        /// </summary>
        void NameConflict(MdnsNameKind kind, string oldLabel, string newLabel);
    }

    /// <summary>
    /// Responder for one DNS-SD service on one interface: probes, tie-breaks, renames, announces,
    /// answers (known-answer suppression, QU, legacy unicast, additional records), defends, says goodbye.
    /// Fed packets and time; sends through <see cref="IMdnsSink"/>.
    /// </summary>
    public sealed partial class MdnsResponder
    {
        private MdnsServiceDescription _service;
        private readonly IMdnsSink _sink;
        private readonly IRandomSource _random;
        private readonly IMdnsResponderListener? _listener;
        private readonly byte[] _buffer = new byte[DnsLimits.MaxMessageLength];
        private readonly long[] _conflictTimes = new long[MdnsLimits.ConflictsBeforeBackoff];
        private readonly ArrayList _pending = new ArrayList();
        private readonly ArrayList _pendingAdditional = new ArrayList();
        private readonly MdnsReplyLimiter _unicastLimit = new MdnsReplyLimiter();
        private ArrayList _records = new ArrayList();
        private long[] _lastMulticast = new long[0];
        private int _conflictCount;
        private long _next;
        private long _pendingDue = long.MaxValue;
        private int _probesSent;
        private int _announcesSent;
        private long _lastQuMs = long.MinValue / 2;

        /// <summary>Creates a responder; call <see cref="Start"/> to begin probing.</summary>
        public MdnsResponder(MdnsServiceDescription service, IMdnsSink sink, IRandomSource random, IMdnsResponderListener? listener)
        {
            _service = service;
            _sink = sink;
            _random = random;
            _listener = listener;
            InstanceLabel = service.InstanceLabel;
            HostLabel = service.HostLabel;
            Rebuild();
        }

        /// <summary>Current state.</summary>
        public MdnsResponderState State { get; private set; }

        /// <summary>The instance label being probed or owned (changes on conflict).</summary>
        public string InstanceLabel { get; private set; }

        /// <summary>The host label being probed or owned (changes on conflict).</summary>
        public string HostLabel { get; private set; }

        /// <summary>Unicast replies (legacy and QU) sent so far.</summary>
        public long UnicastRepliesSent
        {
            get { return _unicastLimit.Allowed; }
        }

        /// <summary>Unicast replies not sent because their source, or all sources together, exceeded the budget.</summary>
        public long UnicastRepliesDropped
        {
            get { return _unicastLimit.Dropped; }
        }

        /// <summary>Conflicts seen so far (probing and after claiming).</summary>
        public int ConflictCount
        {
            get { return _conflictCount; }
        }

        /// <summary>The records this responder owns under the current names.</summary>
        public ArrayList Records
        {
            get { return _records; }
        }

        /// <summary>Earliest time <see cref="Step"/> has work; long.MaxValue when idle.</summary>
        public long NextWakeMs
        {
            get
            {
                long t = _pendingDue;
                if ((State == MdnsResponderState.Probing || State == MdnsResponderState.Announcing) && _next < t)
                {
                    t = _next;
                }

                return t;
            }
        }

        /// <summary>Begins probing after a random 0–250 ms delay (§8.1).</summary>
        public void Start(long nowMs)
        {
            State = MdnsResponderState.Probing;
            _probesSent = 0;
            _next = nowMs + _random.Next(MdnsLimits.ProbeMaxInitialDelayMs + 1);
        }

        /// <summary>Sends goodbyes (TTL 0) for every record if the names were claimed, then goes silent.</summary>
        public void Stop(long nowMs)
        {
            if (State == MdnsResponderState.Announcing || State == MdnsResponderState.Claimed)
            {
                DnsMessage m = NewResponse(0);
                for (int i = 0; i < _records.Count; i++)
                {
                    DnsRecord r = ((DnsRecord)_records[i]!).Clone();
                    r.Ttl = 0;
                    m.Answers.Add(r);
                }

                Send(m, null);
            }

            _pending.Clear();
            _pendingAdditional.Clear();
            _pendingDue = long.MaxValue;
            State = MdnsResponderState.Stopped;
        }

        /// <summary>
        /// A link change (§8): the names are probed and announced again, after the usual 0–250 ms delay.
        /// The names are kept unless the new probes meet a conflict.
        /// </summary>
        public void LinkChanged(long nowMs)
        {
            if (State == MdnsResponderState.Idle || State == MdnsResponderState.Stopped)
            {
                return;
            }

            RestartProbing(nowMs + _random.Next(MdnsLimits.ProbeMaxInitialDelayMs + 1));
        }

        /// <summary>
        /// The interface's addresses changed: A/AAAA records are rebuilt and, as after any link change,
        /// probed and announced again; the announcements carry cache-flush, which replaces the old
        /// addresses in other hosts' caches (§10.2). Returns false when the set is unchanged.
        /// </summary>
        public bool UpdateAddresses(byte[][] addresses, long nowMs)
        {
            if (SameAddresses(_service.Addresses, addresses))
            {
                return false;
            }

            _service = new MdnsServiceDescription(_service.InstanceLabel, _service.ServiceType, _service.HostLabel, _service.Port, _service.Txt, addresses);
            Rebuild();
            LinkChanged(nowMs);
            return true;
        }

        /// <summary>Runs timers: probes, claiming, announcements and delayed answers.</summary>
        public void Step(long nowMs)
        {
            if (State == MdnsResponderState.Probing && nowMs >= _next)
            {
                if (_probesSent < MdnsLimits.ProbeCount)
                {
                    SendProbe(nowMs);
                    _probesSent++;
                    _next = nowMs + MdnsLimits.ProbeIntervalMs;
                }
                else
                {
                    State = MdnsResponderState.Announcing;
                    _announcesSent = 0;
                    _next = nowMs;
                    if (_listener != null)
                    {
                        _listener.NameClaimed(InstanceLabel, HostLabel);
                    }
                }
            }

            if (State == MdnsResponderState.Announcing && nowMs >= _next)
            {
                Announce(nowMs);
                _announcesSent++;
                if (_announcesSent >= MdnsLimits.AnnounceCount)
                {
                    State = MdnsResponderState.Claimed;
                }
                else
                {
                    _next = nowMs + ((long)MdnsLimits.AnnounceFirstGapMs << (_announcesSent - 1));
                }
            }

            if (nowMs >= _pendingDue)
            {
                FlushPending(nowMs);
            }
        }

        /// <summary>Handles one parsed packet received on this interface.</summary>
        public void Receive(DnsMessage message, MdnsSource source, long nowMs)
        {
            if (State == MdnsResponderState.Idle || State == MdnsResponderState.Stopped
                || message.Opcode != 0 || message.Rcode != 0)
            {
                return;
            }

            if (message.IsResponse)
            {
                // Responses must come from 5353; unicast ones only in reply to our own QU probe (§6).
                if (source.IsLegacy || (source.UnicastDestination && nowMs - _lastQuMs > MdnsLimits.UnicastResponseWindowMs))
                {
                    return;
                }

                HandleResponse(message, nowMs);
            }
            else
            {
                HandleQuery(message, source, nowMs);
            }
        }

        private void SendProbe(long nowMs)
        {
            DnsMessage m = new DnsMessage();
            m.Questions.Add(new DnsQuestion(_service.InstanceName(InstanceLabel), DnsType.Any, true));
            m.Questions.Add(new DnsQuestion(MdnsServiceDescription.HostName(HostLabel), DnsType.Any, true));
            for (int i = 0; i < _records.Count; i++)
            {
                DnsRecord r = (DnsRecord)_records[i]!;
                if (r.CacheFlush)
                {
                    DnsRecord c = r.Clone();
                    c.CacheFlush = false;
                    m.Authorities.Add(c);
                }
            }

            _lastQuMs = nowMs;
            Send(m, null);
        }

        private void Announce(long nowMs)
        {
            DnsMessage m = NewResponse(0);
            for (int i = 0; i < _records.Count; i++)
            {
                m.Answers.Add(_records[i]);
                _lastMulticast[i] = nowMs;
            }

            Send(m, null);
        }

        private void Conflict(bool instanceName, long nowMs)
        {
            _conflictTimes[_conflictCount % _conflictTimes.Length] = nowMs;
            _conflictCount++;
            string old = instanceName ? InstanceLabel : HostLabel;
            if (instanceName)
            {
                InstanceLabel = MdnsProbeRules.NextInstanceLabel(InstanceLabel);
            }
            else
            {
                HostLabel = MdnsProbeRules.NextHostLabel(HostLabel);
            }

            Rebuild();
            if (_listener != null)
            {
                _listener.NameConflict(instanceName ? MdnsNameKind.Instance : MdnsNameKind.Host, old, instanceName ? InstanceLabel : HostLabel);
            }

            // After 15 conflicts within 10 s, wait 5 s before each new attempt (§8.1).
            bool flood = _conflictCount >= _conflictTimes.Length
                && nowMs - _conflictTimes[_conflictCount % _conflictTimes.Length] < MdnsLimits.ConflictWindowMs;
            RestartProbing(nowMs + (flood ? MdnsLimits.ConflictBackoffMs : 0));
        }

        private void RestartProbing(long atMs)
        {
            State = MdnsResponderState.Probing;
            _probesSent = 0;
            _next = atMs;
            _pending.Clear();
            _pendingAdditional.Clear();
            _pendingDue = long.MaxValue;
        }

        private void Rebuild()
        {
            _records = _service.BuildRecords(InstanceLabel, HostLabel);
            _lastMulticast = new long[_records.Count];
            for (int i = 0; i < _lastMulticast.Length; i++)
            {
                _lastMulticast[i] = long.MinValue / 2;
            }
        }

        private static bool SameAddresses(byte[][] a, byte[][] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (DnsRecord.CompareBytes(a[i], b[i]) != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static DnsMessage NewResponse(int id)
        {
            DnsMessage m = new DnsMessage();
            m.Id = id;
            m.Flags = DnsMessage.FlagResponse | DnsMessage.FlagAuthoritative;
            return m;
        }

        private void Send(DnsMessage m, object? destination)
        {
            int written;
            if (m.TryWrite(_buffer, 0, _buffer.Length, out written))
            {
                _sink.Send(_buffer, written, destination);
            }
        }
    }
}
