using AetherEdge.Core.Routing;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Membership travels over the mesh (payload kind 3: <c>kind | version 1 | count u8 | statements…</c>, each a
    /// <see cref="MembershipStatement"/>). Local edits of the circle (pairing, <c>aether trust add/remove</c>) are
    /// signed within <see cref="ReconcileEveryMilliseconds"/> and broadcast; every statement applied here is
    /// broadcast once more (so it spreads past the hop limit, each hub passing each statement on once); a new
    /// neighbour gets every winning statement at once (a device that was away catches up), and all neighbours
    /// get them again every <see cref="ResendEveryMilliseconds"/>. What is accepted is <see cref="MembershipLog"/>'s
    /// rule: signed by a member, newest version per subject, removal wins a tie.
    /// </summary>
    public sealed class MeshMembership : IMeshPayloadHandler
    {
        public const byte Version = 1;
        public const long ReconcileEveryMilliseconds = 1000;
        public const long ResendEveryMilliseconds = 5 * 60 * 1000;
        public const int MaxBatchBytes = 60 * 1024;

        private readonly MembershipLog _log;
        private readonly TimeProvider _clock;
        private readonly HashSet<uint> _greet = new();
        private long _nextReconcile;
        private long _nextResend;
        private long _applied;
        private long _stale;
        private long _pending;
        private long _refused;
        private long _invalid;
        private long _signed;

        public MeshMembership(MembershipLog log, TimeProvider clock)
        {
            _log = log;
            _clock = clock;
        }

        public byte Kind => MeshPayloadKind.Membership;

        public long Applied => Interlocked.Read(ref _applied);

        public long StaleCount => Interlocked.Read(ref _stale);

        public long PendingCount => Interlocked.Read(ref _pending);

        public long RefusedCount => Interlocked.Read(ref _refused);

        public long Invalid => Interlocked.Read(ref _invalid);

        public long Signed => Interlocked.Read(ref _signed);

        public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox)
        {
            var data = delivery.Buffer.AsSpan(delivery.Offset, delivery.Length);
            if (data.Length < 3 || data[1] != Version)
            {
                Interlocked.Increment(ref _invalid);
                return;
            }

            int count = data[2];
            data = data.Slice(3);
            var passOn = new List<MembershipStatement>();
            for (int i = 0; i < count; i++)
            {
                MembershipStatement s;
                try
                {
                    s = MembershipStatement.Read(data, out int used);
                    data = data.Slice(used);
                }
                catch (FormatException)
                {
                    Interlocked.Increment(ref _invalid);
                    return;
                }

                var also = new List<MembershipStatement>();
                switch (_log.Apply(s, also))
                {
                    case MembershipVerdict.Applied:
                        Interlocked.Add(ref _applied, 1 + also.Count);
                        passOn.Add(s);
                        passOn.AddRange(also);
                        break;
                    case MembershipVerdict.Stale:
                        Interlocked.Increment(ref _stale);
                        break;
                    case MembershipVerdict.Pending:
                        Interlocked.Increment(ref _pending);
                        break;
                    default:
                        Interlocked.Increment(ref _refused);
                        break;
                }
            }

            Send(outbox, RoutingLimits.Broadcast, passOn);
        }

        public void OnNeighbourUp(uint neighbour, IMeshOutbox outbox) => _greet.Add(neighbour);

        public void OnStep(IMeshOutbox outbox)
        {
            long now = outbox.NowMilliseconds;
            if (now >= _nextReconcile)
            {
                _nextReconcile = now + ReconcileEveryMilliseconds;
                var signed = _log.Reconcile(_clock.GetUtcNow());
                Interlocked.Add(ref _signed, signed.Count);
                Send(outbox, RoutingLimits.Broadcast, signed);
            }

            if (now >= _nextResend)
            {
                _nextResend = now + ResendEveryMilliseconds;
                foreach (uint n in outbox.Neighbours)
                {
                    _greet.Add(n);
                }
            }

            foreach (uint n in _greet.ToList())
            {
                if (Send(outbox, n, _log.Winning.ToList()))
                {
                    _greet.Remove(n);
                }
            }
        }

        /// <summary>Sends <paramref name="statements"/> in batches; false when the router refused one (tried again next step).</summary>
        private static bool Send(IMeshOutbox outbox, uint destination, List<MembershipStatement> statements)
        {
            int i = 0;
            while (i < statements.Count)
            {
                var batch = new List<byte> { MeshPayloadKind.Membership, Version, 0 };
                int n = 0;
                while (i < statements.Count && n < 255 && batch.Count + statements[i].Encoded.Length <= MaxBatchBytes)
                {
                    batch.AddRange(statements[i].Encoded);
                    i++;
                    n++;
                }

                batch[2] = (byte)n;
                byte[] payload = batch.ToArray();
                if (!outbox.Send(destination, payload, 0, payload.Length, reliable: destination != RoutingLimits.Broadcast))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
