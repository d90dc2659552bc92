using AetherEdge.Core.Routing;
using AetherEdge.Core.Sealing;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Sync;
using AetherEdge.TestSupport.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// Sealed frames between two hub mesh nodes with real device identities (ECDH pair keys): a recorded packet
    /// played again after the window is refused as stale, the same frame re-sent inside the window as a replay,
    /// a device outside the circle as a stranger; all counted.
    /// </summary>
    public sealed class MeshSealedTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "aether-sealed-" + Guid.NewGuid().ToString("N"));
        private readonly ManualClock _clock = new();
        private readonly NodeIdentity _phone;
        private readonly NodeIdentity _hub;
        private readonly NodeIdentity _stranger;

        public MeshSealedTests()
        {
            _phone = NodeIdentity.LoadOrCreate(Path.Combine(_dir, "phone"));
            _hub = NodeIdentity.LoadOrCreate(Path.Combine(_dir, "hub"));
            _stranger = NodeIdentity.LoadOrCreate(Path.Combine(_dir, "stranger"));
        }

        [Fact]
        public void PairKeys_FromBothIdentities_AreTheSameOnBothSides()
        {
            using var phoneKeys = KeysOf(_phone, _hub);
            using var hubKeys = KeysOf(_hub, _phone);
            var data = new byte[] { 1, 2, 3, 4 };
            var tag = new byte[SealedFrame.TagBytes];
            Assert.True(phoneKeys.TryTag(MeshAddress.Of(_hub.DeviceId), data, 0, data.Length, tag, 0));
            Assert.True(hubKeys.Verify(MeshAddress.Of(_phone.DeviceId), data, 0, data.Length, tag, 0));
            using var strangerKeys = KeysOf(_stranger, _hub);
            Assert.False(hubKeys.Verify(MeshAddress.Of(_stranger.DeviceId), data, 0, data.Length, tag, 0));
        }

        [Fact]
        public void RecordedWrite_PlayedBackLater_IsRefusedAndCounted()
        {
            var net = new Pair(this);
            net.Run(10);
            var body = new byte[] { MeshPayloadKind.Probe, 5, 6 };
            Assert.True(net.PhoneSealed.TrySend(net.Phone, net.HubId, body, 0, body.Length, reliable: false));
            net.Run(10);
            var got = Assert.Single(net.Opened.Received);
            Assert.Equal(body, got.Body);
            byte[] recorded = net.Recorded.Last(p => p.Length > RoutingLimits.HeaderBytes + SealedFrame.OverheadBytes);

            // The same sealed frame in a new routed packet, inside the window: the nonce was seen.
            byte[] frame = recorded.AsSpan(RoutingLimits.HeaderBytes).ToArray();
            Assert.True(net.Phone.Send(net.HubId, frame, 0, frame.Length, reliable: false));
            net.Run(10);
            Assert.Equal(1, net.HubSealed.Count(SealVerdict.Replay));

            // The recorded packet itself, after the router forgot it (10 min) and past the freshness window.
            _clock.Advance(TimeSpan.FromMinutes(11));
            net.Run(10);
            net.FromPhone.Far!.Receive(recorded, 0, recorded.Length);
            net.Run(10);
            Assert.Equal(1, net.HubSealed.Count(SealVerdict.Stale));
            Assert.Equal(2, net.HubSealed.ReplaysRefused);
            Assert.Equal(2, net.HubLinks.Counters(MeshLinkKind.Simulated).ReplaysRefused); // by the transport they arrived on
            Assert.Single(net.Opened.Received);
        }

        /// <summary>
        /// The hub's ack of a reliable frame is lost, so the phone's router sends the frame again under a new packet
        /// id: the hub acks it again and does not handle it twice, and counts it as a retransmission, not as a replay
        /// refused (the seed's replay metric must count recorded writes only).
        /// </summary>
        [Fact]
        public void RetransmissionAfterALostAck_IsNotHandledTwice_AndNotCountedAsAReplay()
        {
            var net = new Pair(this);
            net.Run(10);
            var body = new byte[] { MeshPayloadKind.Probe, 7 };
            net.DropToPhone = 1; // the ack
            Assert.True(net.PhoneSealed.TrySend(net.Phone, net.HubId, body, 0, body.Length, reliable: true));
            net.Run(8000);

            Assert.Equal(0, net.DropToPhone);
            Assert.Single(net.Opened.Received);
            Assert.Equal(1, net.Phone.Router.Retransmissions);
            Assert.Equal(1, net.HubSealed.Retransmissions);
            Assert.Equal(0, net.HubSealed.Count(SealVerdict.Replay));
            Assert.Equal(0, net.HubSealed.ReplaysRefused);
            Assert.Equal(0, net.HubLinks.Counters(MeshLinkKind.Simulated).ReplaysRefused);

            // The same frame played back reliably after the router's retransmission span: a replay.
            byte[] recorded = net.Recorded.Last(p => p.Length > RoutingLimits.HeaderBytes + SealedFrame.OverheadBytes);
            byte[] frame = recorded.AsSpan(RoutingLimits.HeaderBytes).ToArray();
            _clock.Advance(MeshSealed.RetransmissionSpan);
            net.Run(1); // the routers' clocks move on before the send
            Assert.True(net.Phone.Send(net.HubId, frame, 0, frame.Length, reliable: true));
            net.Run(10);
            Assert.Equal(1, net.HubSealed.Retransmissions);
            Assert.Equal(1, net.HubSealed.Count(SealVerdict.Replay));
            Assert.Equal(1, net.HubSealed.ReplaysRefused);
            Assert.Single(net.Opened.Received);
        }

        [Fact]
        public void StrangersFrame_IsRefusedAndCounted()
        {
            var net = new Pair(this, phoneIsStranger: true);
            net.Run(10);
            var body = new byte[] { MeshPayloadKind.Probe, 1 };
            Assert.True(net.PhoneSealed.TrySend(net.Phone, net.HubId, body, 0, body.Length, reliable: false));
            net.Run(10);
            Assert.Empty(net.Opened.Received);
            Assert.Equal(1, net.HubSealed.Count(SealVerdict.Stranger));
        }

        private MeshFrameKeys KeysOf(NodeIdentity self, NodeIdentity peer, bool trusted = true)
        {
            var keys = new MeshFrameKeys(self, _ => trusted);
            keys.Learn(MeshAddress.Of(peer.DeviceId), peer.DeviceId, peer.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
            return keys;
        }

        public void Dispose()
        {
            _phone.Dispose();
            _hub.Dispose();
            _stranger.Dispose();
            Directory.Delete(_dir, true);
        }

        /// <summary>Phone (or stranger) and hub mesh nodes on one in-process link; every packet to the hub is recorded.</summary>
        private sealed class Pair
        {
            private readonly MeshSealedTests _t;
            private readonly MeshLinks _phoneLinks = new();
            private readonly MeshLinks _hubLinks = new();
            private long _now;

            public Pair(MeshSealedTests t, bool phoneIsStranger = false)
            {
                _t = t;
                NodeIdentity sender = phoneIsStranger ? t._stranger : t._phone;
                uint phoneId = MeshAddress.Of(sender.DeviceId);
                HubId = MeshAddress.Of(t._hub.DeviceId);
                PhoneSealed = new MeshSealed(sender, t.KeysOf(sender, t._hub), Array.Empty<ISealedPayloadHandler>(), t._clock);
                HubSealed = new MeshSealed(t._hub, t.KeysOf(t._hub, t._phone, trusted: true), new ISealedPayloadHandler[] { Opened }, t._clock);
                Phone = new MeshNode(new MeshNodeOptions(phoneId), CryptoRandom.Instance, new IMeshPayloadHandler[] { PhoneSealed });
                Hub = new MeshNode(new MeshNodeOptions(HubId), CryptoRandom.Instance, new IMeshPayloadHandler[] { HubSealed });
                (FromPhone, _) = SimulatedMeshLink.Connect(phoneId, _phoneLinks, HubId, _hubLinks, deliver: (link, packet) =>
                {
                    if (link.Neighbour == HubId)
                    {
                        Recorded.Add(packet);
                    }
                    else if (DropToPhone > 0)
                    {
                        DropToPhone--;
                        return;
                    }

                    link.Deliver(packet);
                });
            }

            public uint HubId { get; }

            public MeshLinks HubLinks => _hubLinks;

            public MeshNode Phone { get; }

            public MeshNode Hub { get; }

            public MeshSealed PhoneSealed { get; }

            public MeshSealed HubSealed { get; }

            public SimulatedMeshLink FromPhone { get; }

            public OpenedProbes Opened { get; } = new();

            public List<byte[]> Recorded { get; } = new();

            /// <summary>Packets from the hub to the phone still to be lost.</summary>
            public int DropToPhone { get; set; }

            public void Run(long ms)
            {
                for (long i = 0; i < ms; i++)
                {
                    _t._clock.Advance(TimeSpan.FromMilliseconds(1));
                    _now = (long)_t._clock.GetElapsedTime(0).TotalMilliseconds;
                    Phone.Pump(_phoneLinks, _now);
                    Phone.Step(_now);
                    Hub.Pump(_hubLinks, _now);
                    Hub.Step(_now);
                }
            }
        }

        private sealed class OpenedProbes : ISealedPayloadHandler
        {
            public List<(uint Source, byte[] Body)> Received { get; } = new();

            public byte Kind => MeshPayloadKind.Probe;

            public void OnOpened(in MeshDelivery body, IMeshOutbox outbox) =>
                Received.Add((body.Source, body.Buffer.AsSpan(body.Offset, body.Length).ToArray()));
        }

        /// <summary>Wall clock and router time, moved by hand.</summary>
        private sealed class ManualClock : TimeProvider
        {
            private long _ticks = TimeSpan.FromDays(20_000).Ticks;

            public override long TimestampFrequency => TimeSpan.TicksPerSecond;

            public override long GetTimestamp() => _ticks;

            public override DateTimeOffset GetUtcNow() => new(_ticks, TimeSpan.Zero);

            public void Advance(TimeSpan by) => _ticks += by.Ticks;
        }
    }
}
