using System.Security.Cryptography;
using AetherEdge.Core.Relay;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.TestSupport.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// Shards sent sealed through the router, in pieces, between mesh nodes with real identities and pair keys:
    /// the receiver gets the whole verified shard once and never a part; a path that dies mid-transfer is replaced
    /// by another (the router's retransmissions flood); with no path the transfer fails, counted, and a later
    /// attempt resends only the pieces never confirmed.
    /// </summary>
    public sealed class MeshShardSenderTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "aether-shardsend-" + Guid.NewGuid().ToString("N"));
        private readonly ManualClock _clock = new();
        private readonly NodeIdentity _sender;
        private readonly NodeIdentity _receiver;

        public MeshShardSenderTests()
        {
            _sender = NodeIdentity.LoadOrCreate(Path.Combine(_dir, "sender"));
            _receiver = NodeIdentity.LoadOrCreate(Path.Combine(_dir, "receiver"));
        }

        [Fact]
        public void LargeShard_TravelsInPiecesThroughARelay_ArrivesWholeOnce()
        {
            var kit = new Kit(this, paths: 1);
            byte[] shard = RandomNumberGenerator.GetBytes(20_000);
            Assert.True(kit.Send(shard));
            kit.Run(5_000);

            var got = Assert.Single(kit.Sink.Offered);
            Assert.Equal(shard, got.Bytes);
            Assert.Equal(ShardId.Of(shard), got.Id);
            Assert.Equal(kit.SenderNode, got.Source);
            Assert.Equal(1, kit.Sender[MeshShardSender.Sent]);
            Assert.Equal(5, kit.Sender.PiecesSent);
            Assert.Equal(5, kit.Sender.PiecesConfirmed);
            Assert.Equal(1, kit.ReceiverSender.ReceiptsSent);
            Assert.Equal(0, kit.Sender.CacheBytesInUse);
            Assert.Equal(1, kit.Pieces[MeshShardPieces.Assembled]);
            Assert.Equal(0, kit.Pieces.BytesInUse);

            // The relay counts what it passed on, per transport; the ends relay nothing.
            Assert.True(kit.RelayLinks(0).Counters(MeshLinkKind.Simulated).RelayedOut >= 10, "pieces and acks pass the relay");
            Assert.Equal(0, kit.SenderLinks.Counters(MeshLinkKind.Simulated).RelayedOut);
        }

        /// <summary>
        /// Every packet of a shard acknowledged by the router says only that it arrived: a receiver that did not keep
        /// the shard (its plan gives it elsewhere and it cannot relay, or it never answers) does not make it `sent`.
        /// </summary>
        [Theory]
        [InlineData(MeshShardReceipt.NotPlannedHere, MeshShardSender.Refused)]
        [InlineData(MeshShardReceipt.Relayed, MeshShardSender.HandedOn)]
        [InlineData((byte)0, MeshShardSender.NoReceipt)]
        public void AllPacketsAcknowledged_CountSentOnlyOnAReceiptThatSaysKept(byte reply, string outcome)
        {
            var kit = new Kit(this, paths: 1);
            kit.Sink.Reply = reply;
            byte[] shard = RandomNumberGenerator.GetBytes(20_000);
            Assert.True(kit.Send(shard));
            kit.Run(5_000);
            Assert.Equal(5, kit.Sender.PiecesConfirmed);
            Assert.Single(kit.Sink.Offered);

            kit.Run((long)new MeshShardSenderOptions().ReceiptWait.TotalMilliseconds);
            Assert.Equal(0, kit.Sender[MeshShardSender.Sent]);
            Assert.Equal(1, kit.Sender[outcome]);
            Assert.Equal(0, kit.Sender.CacheBytesInUse);

            // Refused or unanswered: offered again after the retry pause (handed on: the relay carries it from there).
            kit.Run((long)new MeshShardSenderOptions().RetryAfter.TotalMilliseconds);
            Assert.Equal(outcome != MeshShardSender.HandedOn, !kit.Sender.Handled(kit.ReceiverNode, ShardId.Of(shard)));
        }

        [Fact]
        public void SmallShard_GoesAsOneWholeEnvelope()
        {
            var kit = new Kit(this, paths: 1);
            byte[] shard = RandomNumberGenerator.GetBytes(3_000);
            Assert.True(kit.Send(shard));
            kit.Run(2_000);

            Assert.Equal(shard, Assert.Single(kit.Envelopes.Received));
            Assert.Empty(kit.Sink.Offered);
            Assert.Equal(1, kit.Sender.PiecesSent);
        }

        [Fact]
        public void RelayDiesMidTransfer_DeliveryResumesOnTheOtherPath()
        {
            var kit = new Kit(this, paths: 2);
            byte[] shard = RandomNumberGenerator.GetBytes(40_000);
            Assert.True(kit.Send(shard));
            kit.RunUntil(() => kit.Sender.PiecesSent >= 3);
            kit.KillRelay(0);
            kit.Run(60_000);

            Assert.Equal(shard, Assert.Single(kit.Sink.Offered).Bytes);
            Assert.Equal(1, kit.Sender[MeshShardSender.Sent]);
        }

        [Fact]
        public void NoPathLeft_TransferFailsCounted_NothingOffered_RetryResendsOnlyTheMissingPieces()
        {
            var kit = new Kit(this, paths: 1);
            byte[] shard = RandomNumberGenerator.GetBytes(40_000);
            Assert.True(kit.Send(shard));
            kit.RunUntil(() => kit.Sender.PiecesSent >= 6); // at least two confirmed (4 in flight at most)
            kit.KillRelay(0);
            kit.Run(60_000);

            Assert.True(kit.Sender[MeshShardSender.Unreachable] == 1, $"sent {kit.Sender[MeshShardSender.Sent]} pieces {kit.Sender.PiecesSent} failed {kit.Sender.PiecesFailed} offered {kit.Sink.Offered.Count}");
            Assert.Empty(kit.Sink.Offered);
            Assert.Equal(0, kit.Sender.CacheBytesInUse);
            long sentBefore = kit.Sender.PiecesSent - kit.Sender.PiecesFailed;
            Assert.InRange(sentBefore, 1, 9); // some pieces made it before the relay died

            kit.ReviveRelay(0);
            kit.Run(2_000);
            Assert.True(kit.Send(shard));
            kit.Run(10_000);
            Assert.Equal(shard, Assert.Single(kit.Sink.Offered).Bytes);
            Assert.True(kit.Sender.PiecesSent - kit.Sender.PiecesFailed < 10 + sentBefore, "the retry sent every piece again");
        }

        /// <summary>
        /// The receiver tells the sender the pieces did not hash to their id (no 20 s wait for a receipt that never
        /// comes): the sender sends every piece again once, and on a second bad_hash gives up, counted.
        /// </summary>
        [Fact]
        public void PiecesThatDoNotHashToTheirId_AreDroppedNotOffered_SenderResendsWholeOnceThenEndsOnBadHash()
        {
            var kit = new Kit(this, paths: 1);
            byte[] shard = RandomNumberGenerator.GetBytes(10_000);
            byte[] id = SHA256.HashData(RandomNumberGenerator.GetBytes(8));
            Assert.True(kit.Sender.TryEnqueue(new ShardJob(kit.ReceiverNode, Convert.ToHexStringLower(id), id, shard, Relayed: false)));
            kit.Run(5_000);

            Assert.Empty(kit.Sink.Offered);
            Assert.Equal(2, kit.Pieces[MeshShardPieces.BadHash]);
            Assert.Equal(0, kit.Pieces.BytesInUse);
            Assert.Equal(2, kit.Sender.ReceiptsReceivedOf(MeshShards.BadHash));
            Assert.Equal(1, kit.Sender.WholeResends);
            Assert.Equal(6, kit.Sender.PiecesSent); // 3 pieces, twice
            Assert.Equal(1, kit.Sender[MeshShardSender.BadHash]);
            Assert.Equal(0, kit.Sender[MeshShardSender.NoReceipt]);
            Assert.Equal(0, kit.Sender.CacheBytesInUse);
        }

        [Fact]
        public void ReceiverFoundTheShardSpoilt_SenderSendsEveryPieceAgain_ThenItIsKept()
        {
            var kit = new Kit(this, paths: 1);
            kit.Sink.Replies.Enqueue(MeshShardReceipt.BadHash);
            byte[] shard = RandomNumberGenerator.GetBytes(20_000);
            Assert.True(kit.Send(shard));
            kit.Run(5_000);

            Assert.Equal(2, kit.Sink.Offered.Count);
            Assert.Equal(10, kit.Sender.PiecesSent); // all 5 pieces again, not only missing ones (none was missing)
            Assert.Equal(1, kit.Sender.WholeResends);
            Assert.Equal(1, kit.Sender[MeshShardSender.Sent]);
            Assert.Equal(0, kit.Sender.CacheBytesInUse);
        }

        /// <summary>
        /// Room for one shard in the receiver's reassembly, two sent at once: the second is told `no_room` at once,
        /// backs off (keeping its bytes) and goes again when the first is through; neither waits for `no_receipt`.
        /// </summary>
        [Fact]
        public void NoRoomAtTheReceiver_TheSenderBacksOffAndRetries_BothShardsArrive()
        {
            var kit = new Kit(this, paths: 1, pieces: new MeshShardPiecesOptions { MaxShards = 1 });
            byte[] first = RandomNumberGenerator.GetBytes(20_000), second = RandomNumberGenerator.GetBytes(20_000);
            Assert.True(kit.Send(first));
            Assert.True(kit.Send(second));
            kit.Run((long)new MeshShardSenderOptions().NoRoomBackoff.TotalMilliseconds + 3_000);

            Assert.Equal(new[] { ShardId.Of(first), ShardId.Of(second) }.Order(), kit.Sink.Offered.Select(o => o.Id).Order());
            Assert.Equal(2, kit.Sender[MeshShardSender.Sent]);
            Assert.True(kit.Pieces[MeshShardPieces.NoRoom] >= 1);
            Assert.Equal(1, kit.Sender.ReceiptsReceivedOf(MeshShardPieces.NoRoom)); // one receipt, though several pieces found no room
            Assert.Equal(0, kit.Sender[MeshShardSender.NoReceipt]);
            Assert.Equal(0, kit.Sender.CacheBytesInUse);
        }

        [Fact]
        public void NoRoomThatNeverClears_EndsAsNoRoomAfterTheBackOffTries_NotAsNoReceipt()
        {
            var options = new MeshShardSenderOptions();
            var kit = new Kit(this, paths: 1, pieces: new MeshShardPiecesOptions { MaxBytes = 10_000 });
            Assert.True(kit.Send(RandomNumberGenerator.GetBytes(20_000)));
            kit.Run((long)(options.NoRoomBackoff.TotalMilliseconds * ((1 << options.NoRoomRetries) - 1)) + 5_000);

            Assert.Empty(kit.Sink.Offered);
            Assert.Equal(1, kit.Sender[MeshShardSender.NoRoom]);
            Assert.Equal(options.NoRoomRetries + 1, kit.Sender.ReceiptsReceivedOf(MeshShardPieces.NoRoom));
            Assert.Equal(0, kit.Sender[MeshShardSender.NoReceipt]);
            Assert.Equal(0, kit.Sender.CacheBytesInUse);
        }

        /// <summary>
        /// A transfer cut off mid-way leaves pieces at the receiver and their confirmations at the sender (a resume
        /// would skip them). When the receiver drops those idle pieces it says so (`expired`): the sender forgets what
        /// it would have skipped, and its next attempt sends the whole shard, which arrives.
        /// </summary>
        [Fact]
        public void PiecesLeftIdleExpireAtTheReceiver_TheSenderIsTold_ItsNextAttemptSendsEveryPiece()
        {
            var kit = new Kit(this, paths: 1, pieces: new MeshShardPiecesOptions { IdleMilliseconds = 10_000 });
            byte[] shard = RandomNumberGenerator.GetBytes(40_000);
            Assert.True(kit.Send(shard));
            kit.RunUntil(() => kit.Sender.PiecesSent >= 6);
            kit.KillRelay(0);
            kit.Run(60_000);
            Assert.Equal(1, kit.Sender[MeshShardSender.Unreachable]);
            Assert.True(kit.Pieces.BytesInUse > 0, "the receiver holds some pieces");

            // Another shard makes the receiver sweep: the idle one expires, its sender is told.
            kit.ReviveRelay(0);
            kit.Run(2_000);
            byte[] other = RandomNumberGenerator.GetBytes(20_000);
            Assert.True(kit.Send(other));
            kit.Run(5_000);
            Assert.Equal(1, kit.Pieces[MeshShardPieces.Expired]);
            Assert.Equal(1, kit.Sender.ReceiptsReceivedOf(MeshShardPieces.Expired));

            long before = kit.Sender.PiecesSent;
            Assert.True(kit.Send(shard));
            kit.Run(10_000);
            Assert.Equal(shard, kit.Sink.Offered.Single(o => o.Id == ShardId.Of(shard)).Bytes);
            Assert.Equal(10, kit.Sender.PiecesSent - before);
        }

        /// <summary>Receipts for failures take no more than receipts always did: the bounded queue, and only to a device with a pair key.</summary>
        [Fact]
        public void FailureReceipts_WaitInTheBoundedReceiptQueue_OnlyForTrustedSealers_TheExcessIsDroppedCounted()
        {
            var kit = new Kit(this, paths: 1);
            int max = new MeshShardSenderOptions().MaxReceipts;
            for (int i = 0; i < max + 44; i++)
            {
                kit.ReceiverSender.Acknowledge(kit.SenderNode, SHA256.HashData(BitConverter.GetBytes(i)), MeshShardReceipt.NoRoom);
            }

            Assert.Equal(44, kit.ReceiverSender.ReceiptsDropped);
            kit.Run(10_000);
            Assert.Equal(max, kit.ReceiverSender.ReceiptsSent);
            Assert.Equal(max, kit.Sender.ReceiptsReceivedOf(MeshShardPieces.NoRoom));

            kit.ReceiverSender.Acknowledge(0x0C0C0C0C, SHA256.HashData(new byte[1]), MeshShardReceipt.BadHash); // no pair key: never sealed
            kit.Run(100);
            Assert.Equal(45, kit.ReceiverSender.ReceiptsDropped);
            Assert.Equal(max, kit.ReceiverSender.ReceiptsSent);
        }

        /// <summary>
        /// Before pushing, the sender asks (one sealed offer of the ids): shards the receiver holds end `held` without a
        /// byte sent, the one it wants is marked for sending, one it refuses waits for the retry pause; nothing
        /// answered twice, no piece sent by the offer itself.
        /// </summary>
        [Fact]
        public void Offer_HeldShardsEndWithoutAByteSent_WantedOnesAreSentNext()
        {
            var kit = new Kit(this, paths: 1);
            string[] ids = Enumerable.Range(0, 4).Select(i => ShardId.Of(RandomNumberGenerator.GetBytes(100 + i))).ToArray();
            kit.Sink.Held.Add(ids[0]);
            kit.Sink.Held.Add(ids[1]);
            kit.Sink.Refuse.Add(ids[3]);
            Assert.Equal(4, kit.Sender.TryOffer(kit.ReceiverNode, ids));
            Assert.Equal(0, kit.Sender.TryOffer(kit.ReceiverNode, ids)); // waiting for the answer: not offered twice
            Assert.All(ids, id => Assert.True(kit.Sender.Handled(kit.ReceiverNode, id)));
            kit.Run(100);
            Assert.True(SpinWait.SpinUntil(() => kit.Offers.Pending == 0, TimeSpan.FromSeconds(30)));
            kit.Run(1_000);

            Assert.Equal(2, kit.Sender.OfferResult("held"));
            Assert.Equal(1, kit.Sender.OfferResult("wanted"));
            Assert.Equal(1, kit.Sender.OfferResult("refused"));
            Assert.Equal(0, kit.Sender.PiecesSent);
            Assert.True(kit.Sender.Handled(kit.ReceiverNode, ids[0]) && kit.Sender.Handled(kit.ReceiverNode, ids[1]), "held: done");
            Assert.True(kit.Sender.Wanted(kit.ReceiverNode, ids[2]) && !kit.Sender.Handled(kit.ReceiverNode, ids[2]), "wanted: its bytes go next");
            Assert.True(kit.Sender.Handled(kit.ReceiverNode, ids[3]) && !kit.Sender.Wanted(kit.ReceiverNode, ids[3]), "refused: not before the retry pause");
            kit.Run((long)new MeshShardSenderOptions().RetryAfter.TotalMilliseconds);
            Assert.False(kit.Sender.Handled(kit.ReceiverNode, ids[3]));
        }

        [Fact]
        public void OfferNeverAnswered_EndsUnanswered_AndIsAskedAgainAfterTheRetryPause()
        {
            var kit = new Kit(this, paths: 1);
            kit.KillRelay(0);
            string id = ShardId.Of(RandomNumberGenerator.GetBytes(100));
            Assert.Equal(1, kit.Sender.TryOffer(kit.ReceiverNode, new[] { id }));
            var options = new MeshShardSenderOptions();
            kit.Run((long)options.ReceiptWait.TotalMilliseconds + 2_000);
            Assert.Equal(1, kit.Sender.OfferResult("unanswered"));
            Assert.True(kit.Sender.Handled(kit.ReceiverNode, id));
            kit.Run((long)options.RetryAfter.TotalMilliseconds);
            Assert.Equal(1, kit.Sender.TryOffer(kit.ReceiverNode, new[] { id }));
        }

        [Fact]
        public void JobsBeyondTheCache_AreRefusedAndCounted()
        {
            var kit = new Kit(this, paths: 1, cacheBytes: 50_000);
            Assert.True(kit.Send(RandomNumberGenerator.GetBytes(40_000)));
            Assert.False(kit.Send(RandomNumberGenerator.GetBytes(20_000)));
            Assert.Equal(1, kit.Sender[MeshShardSender.CacheFull]);
            Assert.Equal(40_000, kit.Sender.CacheBytesInUse);
        }

        public void Dispose()
        {
            _sender.Dispose();
            _receiver.Dispose();
            Directory.Delete(_dir, true);
        }

        private MeshFrameKeys KeysOf(NodeIdentity self, NodeIdentity peer)
        {
            var keys = new MeshFrameKeys(self, _ => true);
            keys.Learn(MeshAddress.Of(peer.DeviceId), peer.DeviceId, peer.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
            return keys;
        }

        /// <summary>Sender and receiver joined through <c>paths</c> relay nodes (sender — relay i — receiver); relays can die.</summary>
        private sealed class Kit
        {
            private readonly MeshShardSenderTests _t;
            private readonly List<(MeshNode Node, MeshLinks Links)> _nodes = new();
            private readonly List<bool> _relayDead = new();

            public Kit(MeshShardSenderTests t, int paths, long cacheBytes = 16 << 20, MeshShardPiecesOptions? pieces = null)
            {
                _t = t;
                SenderNode = MeshAddress.Of(t._sender.DeviceId);
                ReceiverNode = MeshAddress.Of(t._receiver.DeviceId);
                var senderKeys = t.KeysOf(t._sender, t._receiver);
                var receiverKeys = t.KeysOf(t._receiver, t._sender);
                Sender = new MeshShardSender(t._sender, senderKeys, new MeshShardSenderOptions { CacheBytes = cacheBytes }, t._clock);
                ReceiverSender = new MeshShardSender(t._receiver, receiverKeys, new MeshShardSenderOptions(), t._clock);
                Sink = new RecordingSink(ReceiverSender);
                Pieces = new MeshShardPieces(Sink, ReceiverSender, pieces);
                Offers = new MeshShardOffers(Sink, ReceiverSender);
                var senderSealed = new MeshSealed(t._sender, senderKeys, new ISealedPayloadHandler[] { Sender, new MeshShardOfferAnswers(Sender) }, t._clock);
                var receiverSealed = new MeshSealed(t._receiver, receiverKeys, new ISealedPayloadHandler[] { Pieces, Envelopes, Offers }, t._clock);
                var senderLinks = new MeshLinks();
                var receiverLinks = new MeshLinks();
                SenderLinks = senderLinks;
                _nodes.Add((new MeshNode(new MeshNodeOptions(SenderNode), CryptoRandom.Instance, new IMeshPayloadHandler[] { senderSealed }, new IMeshSender[] { Sender }), senderLinks));
                _nodes.Add((new MeshNode(new MeshNodeOptions(ReceiverNode), CryptoRandom.Instance, new IMeshPayloadHandler[] { receiverSealed }, new IMeshSender[] { ReceiverSender }), receiverLinks));
                for (int i = 0; i < paths; i++)
                {
                    int relay = i;
                    uint id = 0x0B000001u + (uint)i;
                    var links = new MeshLinks();
                    _nodes.Add((new MeshNode(new MeshNodeOptions(id), CryptoRandom.Instance, Array.Empty<IMeshPayloadHandler>()), links));
                    _relayDead.Add(false);
                    // A dead relay neither receives nor sends: packets to and from it are lost.
                    void Deliver(SimulatedMeshLink link, byte[] packet)
                    {
                        if (!_relayDead[relay])
                        {
                            link.Deliver(packet);
                        }
                    }

                    SimulatedMeshLink.Connect(SenderNode, senderLinks, id, links, quality: 200 - (20 * i), deliver: Deliver);
                    SimulatedMeshLink.Connect(id, links, ReceiverNode, receiverLinks, quality: 200 - (20 * i), deliver: Deliver);
                }

                Run(100);
            }

            public uint SenderNode { get; }

            public uint ReceiverNode { get; }

            public MeshShardSender Sender { get; }

            public MeshLinks SenderLinks { get; }

            public MeshLinks RelayLinks(int i) => _nodes[2 + i].Links;

            public MeshShardPieces Pieces { get; }

            public RecordingSink Sink { get; }

            public MeshShardOffers Offers { get; }

            /// <summary>The receiver's sender: it sends the receipts the sink asks for.</summary>
            public MeshShardSender ReceiverSender { get; }

            public WholeEnvelopes Envelopes { get; } = new();

            public bool Send(byte[] shard)
            {
                string id = ShardId.Of(shard);
                return Sender.TryEnqueue(new ShardJob(ReceiverNode, id, Convert.FromHexString(id), shard, Relayed: false));
            }

            public void KillRelay(int i) => _relayDead[i] = true;

            public void ReviveRelay(int i) => _relayDead[i] = false;

            public void RunUntil(Func<bool> condition)
            {
                for (int i = 0; i < 10_000 && !condition(); i++)
                {
                    Run(1);
                }

                Assert.True(condition());
            }

            public void Run(long ms)
            {
                for (long i = 0; i < ms; i++)
                {
                    _t._clock.Advance(TimeSpan.FromMilliseconds(1));
                    long now = (long)_t._clock.GetElapsedTime(0).TotalMilliseconds;
                    foreach (var (node, links) in _nodes)
                    {
                        node.Pump(links, now);
                        node.Step(now);
                    }
                }
            }
        }

        /// <summary>Records what is offered and answers with <see cref="Reply"/> (0: no receipt at all), as MeshShards does.</summary>
        private sealed class RecordingSink : IMeshShardSink, IMeshShardWants
        {
            private readonly MeshShardSender _receipts;

            public RecordingSink(MeshShardSender receipts) => _receipts = receipts;

            public List<(string Id, byte[] Bytes, uint Source)> Offered { get; } = new();

            public byte Reply { get; set; } = MeshShardReceipt.Stored;

            /// <summary>Shards answered held / not planned here when offered (the rest: wanted).</summary>
            public HashSet<string> Held { get; } = new();

            public HashSet<string> Refuse { get; } = new();

            public byte Want(string id, uint source) =>
                Held.Contains(id) ? MeshShardReceipt.AlreadyHeld : Refuse.Contains(id) ? MeshShardReceipt.NotPlannedHere : MeshShardReceipt.Wanted;

            /// <summary>Answers for the first offers, before <see cref="Reply"/>.</summary>
            public Queue<byte> Replies { get; } = new();

            public void Offer(string id, byte[] bytes, uint source)
            {
                Offered.Add((id, bytes, source));
                byte reply = Replies.Count > 0 ? Replies.Dequeue() : Reply;
                if (reply != 0)
                {
                    _receipts.Acknowledge(source, Convert.FromHexString(id), reply);
                }
            }
        }

        private sealed class WholeEnvelopes : ISealedPayloadHandler
        {
            public List<byte[]> Received { get; } = new();

            public byte Kind => ShardEnvelope.KindShard;

            public void OnOpened(in MeshDelivery body, IMeshOutbox outbox) =>
                Received.Add(body.Buffer.AsSpan(body.Offset + ShardEnvelope.HeaderBytes, body.Length - ShardEnvelope.HeaderBytes).ToArray());
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
