using System.Collections.Concurrent;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// The seam between the hub's transports and its mesh router: every transport (TLS links to peer
    /// hubs, BLE connections, Wi-Fi Direct groups) attaches each live link here and hands it the packets
    /// it receives; the router thread (<see cref="MeshRouterService"/>) drains the events in order. This
    /// is the only thread-safe part: the router itself has one owner. Bounded: at most
    /// <see cref="MaxLinks"/> links, and at most <see cref="MaxQueuedPackets"/> packets /
    /// <see cref="MaxQueuedBytes"/> bytes waiting for the router, per link <see cref="MaxQueuedPerLink"/>
    /// (a neighbour that floods fills only its own share; the excess is dropped and counted).
    /// </summary>
    public sealed class MeshLinks
    {
        public const int MaxLinks = 64;
        public const int MaxQueuedPackets = 1024;
        public const int MaxQueuedPerLink = 128;
        public const long MaxQueuedBytes = 8L * 1024 * 1024;

        private readonly ConcurrentQueue<MeshEvent> _events = new();
        private readonly ConcurrentDictionary<MeshAttachment, byte> _attached = new();
        private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
        private readonly ConcurrentDictionary<string, MeshTransportCounters> _byKind = new(StringComparer.Ordinal);
        private int _queued;
        private long _queuedBytes;
        private long _refused;

        /// <summary>Links attached now.</summary>
        public int Count => _attached.Count;

        /// <summary>Attach attempts refused because <see cref="MaxLinks"/> links were attached.</summary>
        public long Refused => Interlocked.Read(ref _refused);

        /// <summary>Per transport kind: links, packets and bytes each way, packets dropped (metrics).</summary>
        public MeshTransportCounters Counters(string kind) => _byKind.GetOrAdd(kind, k => new MeshTransportCounters(k));

        /// <summary>Every transport kind seen so far.</summary>
        public IReadOnlyList<MeshTransportCounters> Transports() => _byKind.Values.OrderBy(c => c.Kind, StringComparer.Ordinal).ToList();

        /// <summary>The links attached now (for status and tests).</summary>
        public IReadOnlyList<IMeshLink> Snapshot() => _attached.Keys.Select(a => a.Link).ToList();

        /// <summary>
        /// Registers a live link. The caller hands every packet the link receives to the returned
        /// attachment and detaches it when the link closes. Null when <see cref="MaxLinks"/> are attached.
        /// </summary>
        public MeshAttachment? Attach(IMeshLink link)
        {
            if (_attached.Count >= MaxLinks)
            {
                Interlocked.Increment(ref _refused);
                return null;
            }

            var attachment = new MeshAttachment(this, link, Counters(link.Kind));
            _attached[attachment] = 0;
            attachment.Counters.LinkAttached();
            Post(new MeshEvent(MeshEventKind.Up, attachment, null));
            return attachment;
        }

        /// <summary>Waits until an event may be waiting or <paramref name="timeout"/> passed.</summary>
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

        /// <summary>Blocks until an event may be waiting or <paramref name="timeoutMs"/> passed (router thread).</summary>
        public bool Wait(int timeoutMs, CancellationToken ct) => _signal.Wait(timeoutMs, ct);

        /// <summary>The next event for the router thread, in arrival order.</summary>
        public bool TryTake(out MeshEvent e)
        {
            if (!_events.TryDequeue(out e!))
            {
                return false;
            }

            if (e.Kind == MeshEventKind.Packet)
            {
                Interlocked.Decrement(ref _queued);
                Interlocked.Add(ref _queuedBytes, -e.Packet!.Length);
                Interlocked.Decrement(ref e.Attachment.QueuedCount);
            }

            return true;
        }

        internal bool Deliver(MeshAttachment from, byte[] buffer, int offset, int length)
        {
            if (Volatile.Read(ref from.QueuedCount) >= MaxQueuedPerLink
                || Volatile.Read(ref _queued) >= MaxQueuedPackets
                || Interlocked.Read(ref _queuedBytes) + length > MaxQueuedBytes)
            {
                from.Counters.Dropped();
                return false;
            }

            Interlocked.Increment(ref from.QueuedCount);
            Interlocked.Increment(ref _queued);
            Interlocked.Add(ref _queuedBytes, length);
            from.Counters.Received(length);
            Post(new MeshEvent(MeshEventKind.Packet, from, buffer.AsSpan(offset, length).ToArray()));
            return true;
        }

        internal void Detached(MeshAttachment attachment)
        {
            if (_attached.TryRemove(attachment, out _))
            {
                attachment.Counters.LinkDetached();
                Post(new MeshEvent(MeshEventKind.Down, attachment, null));
            }
        }

        private void Post(MeshEvent e)
        {
            _events.Enqueue(e);
            _signal.Release();
        }
    }

    /// <summary>What happened on a link.</summary>
    public enum MeshEventKind
    {
        Up,
        Packet,
        Down,
    }

    /// <summary>One event for the router thread: a link came up, delivered a packet (a private copy) or went down.</summary>
    public sealed record MeshEvent(MeshEventKind Kind, MeshAttachment Attachment, byte[]? Packet);

    /// <summary>A link's registration: the transport hands it what the link receives and detaches it once.</summary>
    public sealed class MeshAttachment
    {
        private readonly MeshLinks _owner;
        private int _detached;
        internal int QueuedCount;

        internal MeshAttachment(MeshLinks owner, IMeshLink link, MeshTransportCounters counters)
        {
            _owner = owner;
            Link = link;
            Counters = counters;
        }

        public IMeshLink Link { get; }

        public MeshTransportCounters Counters { get; }

        public bool IsDetached => Volatile.Read(ref _detached) != 0;

        /// <summary>
        /// A whole packet arrived on the link (copied before return). False when the router's queue is full
        /// for this link: the packet is dropped and counted, as a radio would lose it.
        /// </summary>
        public bool Receive(byte[] buffer, int offset, int length) =>
            !IsDetached && length > 0 && length <= Core.Routing.RoutingLimits.MaxPacketBytes && _owner.Deliver(this, buffer, offset, length);

        /// <summary>The link closed; later packets are ignored. Idempotent.</summary>
        public void Detach()
        {
            if (Interlocked.Exchange(ref _detached, 1) == 0)
            {
                _owner.Detached(this);
            }
        }
    }

    /// <summary>Counters of one transport kind (metrics label <c>transport</c>), declared where the links count them.</summary>
    public sealed class MeshTransportCounters
    {
        private long _links;
        private long _attachedTotal;
        private long _packetsIn;
        private long _bytesIn;
        private long _packetsOut;
        private long _bytesOut;
        private long _dropped;
        private long _relayed;
        private long _replays;

        public MeshTransportCounters(string kind)
        {
            Kind = kind;
        }

        public string Kind { get; }

        /// <summary>Links of this kind attached now (mesh peers per transport).</summary>
        public long Links => Interlocked.Read(ref _links);

        public long AttachedTotal => Interlocked.Read(ref _attachedTotal);

        public long PacketsIn => Interlocked.Read(ref _packetsIn);

        public long BytesIn => Interlocked.Read(ref _bytesIn);

        public long PacketsOut => Interlocked.Read(ref _packetsOut);

        public long BytesOut => Interlocked.Read(ref _bytesOut);

        /// <summary>Received packets dropped because the router's queue was full for the link.</summary>
        public long DroppedIn => Interlocked.Read(ref _dropped);

        /// <summary>Packets of other nodes this hub passed on over this transport.</summary>
        public long RelayedOut => Interlocked.Read(ref _relayed);

        /// <summary>Sealed frames refused as replays (stale or a nonce seen before) that reached this hub over this transport.</summary>
        public long ReplaysRefused => Interlocked.Read(ref _replays);

        internal void Relayed() => Interlocked.Increment(ref _relayed);

        public void ReplayRefused() => Interlocked.Increment(ref _replays);

        public void Sent(int bytes)
        {
            Interlocked.Increment(ref _packetsOut);
            Interlocked.Add(ref _bytesOut, bytes);
        }

        internal void Received(int bytes)
        {
            Interlocked.Increment(ref _packetsIn);
            Interlocked.Add(ref _bytesIn, bytes);
        }

        internal void Dropped() => Interlocked.Increment(ref _dropped);

        internal void LinkAttached()
        {
            Interlocked.Increment(ref _links);
            Interlocked.Increment(ref _attachedTotal);
        }

        internal void LinkDetached() => Interlocked.Decrement(ref _links);
    }
}
