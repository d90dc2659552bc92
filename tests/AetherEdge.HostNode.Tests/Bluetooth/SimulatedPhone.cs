using System.Collections.Concurrent;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Bluetooth;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// A simulation of a phone in the kit (no phone here): a BLE central whose connections to beacons run the
    /// shared-core GATT layer (<see cref="GattMeshLink"/> over <see cref="SimulatedRadio"/>), with its own device
    /// identity, the mesh router, signed knowledge records (so hubs learn its key and it learns theirs), sealed
    /// frames and the shard sender. Its allocation is 0: plans never give it shards, it only brings them.
    /// </summary>
    public sealed class SimulatedPhone : IAsyncDisposable
    {
        private readonly HashSet<DeviceId> _trusted = new();
        private readonly MeshLinks _links = new();
        private readonly MeshRouterService _router;
        private readonly List<(SimulatedBeacon Beacon, GattMeshLink Link)> _connections = new();
        private readonly Thread _stepper;
        private readonly ConcurrentQueue<Action<IMeshOutbox>> _onRouter = new();
        private volatile bool _running = true;

        public SimulatedPhone(string directory, int hopLimit = 6, DeviceKind kind = DeviceKind.Mobile, long allocation = 0)
        {
            Identity = NodeIdentity.LoadOrCreate(directory);
            NodeId = MeshAddress.Of(Identity.DeviceId);
            Keys = new MeshFrameKeys(Identity, IsTrusted);
            var self = new LocalDevice(Identity.DeviceId, "phone", kind, allocation);
            Peers = new PeerKnowledge(IsTrusted, PeerKnowledge.DefaultOnlineWindow);
            var reach = new MeshReachability(TimeProvider.System);
            Knowledge = new MeshKnowledge(Identity, self, Peers, reach, Keys, TimeProvider.System);
            Sender = new MeshShardSender(Identity, Keys, new MeshShardSenderOptions(), TimeProvider.System);
            Received = new ReceivedShards(Sender);
            Sealed = new MeshSealed(Identity, Keys, new ISealedPayloadHandler[] { Sender, new MeshShardPieces(Received, Sender), Received, Offers = new MeshShardOffers(Received, Sender), new MeshShardOfferAnswers(Sender) }, TimeProvider.System);
            var node = new MeshNode(new MeshNodeOptions(NodeId) { HopLimit = hopLimit }, CryptoRandom.Instance,
                new IMeshPayloadHandler[] { Knowledge, Sealed }, new IMeshSender[] { Sender, new Injector(_onRouter) });
            _router = new MeshRouterService(node, _links, TimeProvider.System, NullLogger<MeshRouterService>.Instance);
            _router.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            _stepper = new Thread(Step) { IsBackground = true, Name = "simulated-phone" };
            _stepper.Start();
        }

        public NodeIdentity Identity { get; }

        public uint NodeId { get; }

        public MeshFrameKeys Keys { get; }

        public PeerKnowledge Peers { get; }

        public MeshKnowledge Knowledge { get; }

        public MeshSealed Sealed { get; }

        public MeshShardSender Sender { get; }

        /// <summary>The hub's answering of shard offers, over <see cref="Received"/>: held or wanted.</summary>
        public MeshShardOffers Offers { get; }

        /// <summary>Shards sent to this device (whole, hash-checked), each answered with a `stored` receipt.</summary>
        public ReceivedShards Received { get; }

        public MeshRouterSnapshot Router => _router.Snapshot;

        /// <summary>Trusts <paramref name="device"/> (the owner paired the phone with the kit).</summary>
        public void Trust(string device)
        {
            Assert.True(DeviceId.TryParse(device, out var id, out string error), error);
            lock (_trusted)
            {
                _trusted.Add(id);
            }
        }

        /// <summary>Connects to a beacon over the simulated radio (the phone is the central).</summary>
        public void Connect(SimulatedBeacon beacon, SimulatedRadio radio, int quality = 200)
        {
            GattMeshLink? link = null;
            link = new GattMeshLink("phone to beacon " + MeshAddress.Format(beacon.NodeId), beacon.NodeId, quality, SimulatedBluez.PeerMtu,
                v =>
                {
                    radio.Carry(() => beacon.Receive(NodeId, v));
                    return Task.CompletedTask;
                },
                () => Environment.TickCount64, l => _links.Attach(l), new BleCounters());
            beacon.Link(NodeId, v => radio.Carry(() => link.OnValue(v)), quality);
            lock (_connections)
            {
                _connections.Add((beacon, link));
            }
        }

        /// <summary>Drops the connection to a beacon (its supervision timeout after the beacon went silent).</summary>
        public async Task DisconnectAsync(SimulatedBeacon beacon)
        {
            List<GattMeshLink> gone;
            lock (_connections)
            {
                gone = _connections.Where(c => c.Beacon == beacon).Select(c => c.Link).ToList();
                _connections.RemoveAll(c => c.Beacon == beacon);
            }

            foreach (var link in gone)
            {
                await link.DisposeAsync();
            }
        }

        /// <summary>Runs <paramref name="action"/> on the phone's router thread (raw sends for replay tests).</summary>
        public void OnRouter(Action<IMeshOutbox> action) => _onRouter.Enqueue(action);

        private bool IsTrusted(DeviceId device)
        {
            lock (_trusted)
            {
                return _trusted.Contains(device);
            }
        }

        // The GATT layer's timers (the hub's session steps its links every 20 ms too).
        private void Step()
        {
            while (_running)
            {
                GattMeshLink[] links;
                lock (_connections)
                {
                    links = _connections.Select(c => c.Link).ToArray();
                }

                foreach (var link in links)
                {
                    link.Step();
                }

                Thread.Sleep(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _running = false;
            _stepper.Join();
            foreach (var (_, link) in _connections)
            {
                await link.DisposeAsync();
            }

            await _router.StopAsync(CancellationToken.None);
            _router.Dispose();
            Keys.Dispose();
            Identity.Dispose();
        }

        /// <summary>What a device that keeps every shard it is sent does: whole envelopes and assembled pieces, hash-checked; offered ones it wants unless held.</summary>
        public sealed class ReceivedShards : IMeshShardSink, ISealedPayloadHandler, IMeshShardWants
        {
            private readonly MeshShardSender _receipts;

            public ReceivedShards(MeshShardSender receipts) => _receipts = receipts;

            public ConcurrentDictionary<string, byte[]> Shards { get; } = new(StringComparer.Ordinal);

            public byte Kind => AetherEdge.Core.Relay.ShardEnvelope.KindShard;

            public byte Want(string id, uint source) => Shards.ContainsKey(id) ? MeshShardReceipt.AlreadyHeld : MeshShardReceipt.Wanted;

            public void Offer(string id, byte[] bytes, uint source)
            {
                Shards[id] = bytes;
                _receipts.Acknowledge(source, Convert.FromHexString(id), MeshShardReceipt.Stored);
            }

            public void OnOpened(in MeshDelivery body, IMeshOutbox outbox)
            {
                int at = AetherEdge.Core.Relay.ShardEnvelope.Parse(body.Buffer, body.Offset, body.Length);
                byte[] shard = body.Buffer.AsSpan(at, body.Offset + body.Length - at).ToArray();
                string id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(shard));
                if (id == Convert.ToHexStringLower(body.Buffer.AsSpan(body.Offset + 1, 32)))
                {
                    Offer(id, shard, body.Source);
                }
            }
        }

        private sealed class Injector : IMeshSender
        {
            private readonly ConcurrentQueue<Action<IMeshOutbox>> _queue;

            public Injector(ConcurrentQueue<Action<IMeshOutbox>> queue)
            {
                _queue = queue;
            }

            public void OnStep(IMeshOutbox outbox)
            {
                while (_queue.TryDequeue(out var action))
                {
                    action(outbox);
                }
            }

            public void OnConfirmed(uint packetId)
            {
            }

            public void OnFailed(uint packetId)
            {
            }
        }
    }
}
