using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Routing;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// Knowledge travels: every hub broadcasts its signed <see cref="KnowledgeRecord"/> (profile and mesh
    /// neighbours) every <see cref="AnnounceEvery"/> and soon after a neighbour appears; the router floods it
    /// within the hop limit. A hub that hears a trusted device's newer record (signature checked, sender's node
    /// id bound to its key) records the device as online in <see cref="PeerKnowledge"/> with its hop count, and
    /// the neighbour that leads to it in <see cref="MeshReachability"/>. Plans then cover devices beyond the
    /// neighbours; their inventories arrive first-hand through tunnelled sync sessions (<see cref="MeshTunnels"/>).
    /// Records of devices outside the trust circle are dropped before their signature is checked.
    /// </summary>
    public sealed class MeshKnowledge : IMeshPayloadHandler
    {
        public static readonly TimeSpan AnnounceEvery = TimeSpan.FromSeconds(30);
        public const long NeighbourAnnounceDelayMilliseconds = 500;

        /// <summary>Announcements made because a device was heard for the first time are at least this far apart.</summary>
        public const long NewDeviceAnnounceSpacingMilliseconds = 5000;

        private readonly NodeIdentity _identity;
        private readonly LocalDevice _self;
        private readonly PeerKnowledge _peers;
        private readonly MeshReachability _reach;
        private readonly TimeProvider _clock;
        private readonly Dictionary<DeviceId, long> _sequences = new();
        private readonly byte[] _spki;
        private long _due = long.MinValue;
        private long _lastSequence;
        private long _accepted;
        private long _untrusted;
        private long _stale;
        private long _invalid;
        private long _announced;
        private long _lastTriggered = long.MinValue;
        private readonly MeshFrameKeys _keys;

        public MeshKnowledge(NodeIdentity identity, LocalDevice self, PeerKnowledge peers, MeshReachability reach, MeshFrameKeys keys, TimeProvider clock)
        {
            _keys = keys;
            _identity = identity;
            _self = self;
            _peers = peers;
            _reach = reach;
            _clock = clock;
            _spki = identity.Certificate.PublicKey.ExportSubjectPublicKeyInfo();
        }

        public byte Kind => MeshPayloadKind.Knowledge;

        public long Accepted => Interlocked.Read(ref _accepted);

        public long Untrusted => Interlocked.Read(ref _untrusted);

        public long Stale => Interlocked.Read(ref _stale);

        public long Invalid => Interlocked.Read(ref _invalid);

        public long Announced => Interlocked.Read(ref _announced);

        public void OnDelivered(in MeshDelivery delivery, IMeshOutbox outbox)
        {
            KnowledgeRecord? record;
            uint source = delivery.Source;
            try
            {
                record = KnowledgeRecord.Verify(delivery.Buffer.AsSpan(delivery.Offset, delivery.Length), (device, sequence) =>
                {
                    if (MeshAddress.Of(device) != source || device == _identity.DeviceId)
                    {
                        throw new ProtocolViolationException("knowledge record of " + device.Short + " sent by node " + MeshAddress.Format(source));
                    }

                    if (!_peers.IsTrusted(device))
                    {
                        Interlocked.Increment(ref _untrusted);
                        return false;
                    }

                    if (_sequences.TryGetValue(device, out long last) && sequence <= last)
                    {
                        Interlocked.Increment(ref _stale);
                        return false;
                    }

                    return true;
                });
            }
            catch (ProtocolViolationException)
            {
                Interlocked.Increment(ref _invalid);
                return;
            }

            if (record == null)
            {
                return;
            }

            // A device heard for the first time may not have heard us (it came up before a path to us existed):
            // answer soon, so both hold the other's key before either seals a frame (at most once per 5 s).
            bool first = !_sequences.ContainsKey(record.Device);
            long now = outbox.NowMilliseconds;
            if (first && _due != long.MinValue && (_lastTriggered == long.MinValue || now - _lastTriggered >= NewDeviceAnnounceSpacingMilliseconds))
            {
                _lastTriggered = now;
                _due = Math.Min(_due, now + NeighbourAnnounceDelayMilliseconds);
            }

            _sequences[record.Device] = record.Sequence;
            _keys.Learn(source, record.Device, record.Spki);
            Interlocked.Increment(ref _accepted);
            var hello = new HelloFrame(SyncLimits.Version, (int)record.Kind, record.AllocationBytes, 0, record.BatteryPercent, record.Flags, record.Name);
            _peers.HeardThroughMesh(record.Device, PeerKnowledge.ToProfile(record.Device, hello), delivery.Hops);
            _reach.Update(new MeshRoute(record.Device, source, outbox.RouteTo(source), delivery.Hops, _clock.GetUtcNow(), record.Sequence, record.Neighbours));
        }

        public void OnNeighbourUp(uint neighbour, IMeshOutbox outbox)
        {
            // Tell the new neighbour (and through it the rest) soon, once both greeted each other.
            _due = Math.Min(_due, outbox.NowMilliseconds + NeighbourAnnounceDelayMilliseconds);
        }

        public void OnStep(IMeshOutbox outbox)
        {
            long now = outbox.NowMilliseconds;
            if (_due != long.MinValue && now < _due)
            {
                return;
            }

            if (outbox.Neighbours.Count == 0)
            {
                _due = now + NeighbourAnnounceDelayMilliseconds;
                return;
            }

            var hello = _self.Hello(0);
            _lastSequence = Math.Max(_lastSequence + 1, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            var record = new KnowledgeRecord(_identity.DeviceId, _lastSequence, _self.Kind, hello.Flags, hello.BatteryPercent, hello.AllocationBytes, hello.Name, outbox.Neighbours.ToArray());
            using var key = _identity.Certificate.GetECDsaPrivateKey() ?? throw new CryptographicException("identity has no private key");
            byte[] payload = record.Sign(key, _spki);
            if (outbox.Send(RoutingLimits.Broadcast, payload, 0, payload.Length, reliable: false))
            {
                Interlocked.Increment(ref _announced);
                _due = now + (long)AnnounceEvery.TotalMilliseconds;
            }
            else
            {
                _due = now + NeighbourAnnounceDelayMilliseconds;
            }
        }
    }
}
