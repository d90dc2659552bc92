using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// A protocol-3 session receiving a peer's frames one after another (Hello, InventoryHeld, InventoryDelta parts)
    /// into the hub's <see cref="PeerKnowledge"/> staging. Properties: only documented rejections escape; a session
    /// that accepted a final part leaves the peer's inventory at that part's version, with exactly the shard ids
    /// present in its parts (whole) and no more entries than the parts carried; a rejected sequence leaves the
    /// previous inventory (none) in place.
    /// </summary>
    public sealed class SyncInventoryTarget : FuzzTarget
    {
        private const long Now = 1_700_000_000_000;
        private static readonly DeviceId s_peer = DeviceId.FromPublicKeyInfo(new byte[64]);

        public override string Name => "sync-inventory";

        public override string Source => "a peer's inventory frames in a sync session (network)";

        public override byte[][] Seeds()
        {
            var shards = Enumerable.Range(0, 5).Select(i => new InventoryEntry(SyncItemKind.Shard, i.ToString("x64"), 256)).ToArray();
            var manifest = new InventoryEntry(SyncItemKind.Manifest, "0123456789abcdef0123456789abcdef", 600);
            return new[]
            {
                Frames(new HelloFrame(3, 2, 1 << 30, 0, 100, 0, "p"), new InventoryHeldFrame(0), new InventoryDeltaFrame(true, true, 0, 7, shards.Append(manifest).ToArray(), new string[0])),
                Frames(new HelloFrame(3, 2, 1 << 30, 0, 100, 0, "p"), new InventoryDeltaFrame(true, false, 0, 9, shards.Take(2).ToArray(), new string[0]), new InventoryDeltaFrame(true, true, 0, 9, shards.Skip(2).ToArray(), new string[0])),
                Frames(new HelloFrame(3, 2, 1 << 30, 0, 100, 0, "p"), new InventoryDeltaFrame(true, true, 0, 3, new InventoryEntry[0], new string[0]), new DoneFrame()),
                Frames(new HelloFrame(2, 2, 1 << 30, 0, 100, 0, "p"), new InventoryFrame(shards, true)),
            };
        }

        public override int[] LengthFieldOffsets(byte[] input) => new[] { 4, 6, 24, 25, 33, 41, 42 };

        public override bool Execute(byte[] input)
        {
            var peers = new PeerKnowledge(_ => true, PeerKnowledge.DefaultOnlineWindow);
            var host = new Staging(peers);
            var session = new SyncSession(new Empty(), host, new Counter(), new ReplayWindow(), new HelloFrame(3, 2, 1 << 30, 0, 100, 0, "self"), 1024);
            session.Start();
            int at = 0;
            try
            {
                while (at < input.Length)
                {
                    int n = SyncFrameCodec.TryRead(input, at, input.Length - at, out var frame);
                    if (n == 0)
                    {
                        break;
                    }

                    at += n;
                    session.Receive(frame!, Now);
                }
            }
            finally
            {
                // Whatever happened, the hub's view is a complete inventory or the one before (none).
                FuzzPropertyException.Check(host.Committed || !peers.HasInventory(s_peer), "an inventory was applied without its final part");
                if (host.Committed)
                {
                    FuzzPropertyException.Check(peers.InventoryVersion(s_peer) == host.FinalVersion, "inventory version " + peers.InventoryVersion(s_peer) + " after a final part of version " + host.FinalVersion);
                    FuzzPropertyException.Check(peers.ShardsHeldBy(s_peer).Count + peers.ManifestsHeldBy(s_peer).Count <= host.Entries, "more ids held than the parts carried");
                }
            }

            return at > 0;
        }

        private static byte[] Frames(params SyncFrame[] frames)
        {
            var all = new List<byte>();
            ulong nonce = 1;
            foreach (var f in frames)
            {
                f.TimestampMilliseconds = Now;
                f.Nonce = nonce++;
                var buffer = new byte[SyncFrameCodec.EncodedLength(f)];
                SyncFrameCodec.TryWrite(f, buffer, 0, buffer.Length, out _);
                all.AddRange(buffer);
            }

            return all.ToArray();
        }

        /// <summary>The hub's way with a peer's inventory: staged in PeerKnowledge, applied at the final part.</summary>
        private sealed class Staging : ISyncSessionHost
        {
            private readonly PeerKnowledge _peers;

            public Staging(PeerKnowledge peers)
            {
                _peers = peers;
            }

            public bool Committed { get; private set; }

            public long FinalVersion { get; private set; }

            public long Entries { get; private set; }

            public void OnPeerHello(HelloFrame hello) => _peers.Heard(s_peer, hello);

            public long HeldPeerInventoryVersion() => _peers.InventoryVersion(s_peer);

            public void OnPeerInventory(InventoryChanges part, bool first, bool final)
            {
                Entries += part.Count;
                _peers.StageInventory(s_peer, part, first);
                if (final)
                {
                    _peers.CommitInventory(s_peer, part.Version);
                    Committed = true;
                    FinalVersion = part.Version;
                }
            }

            public string[] ChooseWants() => new string[0];

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
            {
            }

            public void OnItemServed(string id, AckStatus status)
            {
            }

            public void OnBytesReceived(long bytes)
            {
            }
        }

        private sealed class Counter : AetherEdge.Core.Abstractions.IRandomSource
        {
            private int _n;

            public int Next(int maxExclusive) => _n++ % maxExclusive;

            public void NextBytes(byte[] buffer)
            {
                for (int i = 0; i < buffer.Length; i++)
                {
                    buffer[i] = (byte)_n++;
                }
            }
        }

        private sealed class Empty : ISyncStore
        {
            public InventoryEntry[] ListItems() => new InventoryEntry[0];

            public InventoryChanges InventorySince(long since) => InventoryChanges.WholeAt(1, new InventoryEntry[0]);

            public long LengthOf(string id) => -1;

            public byte[]? HashOf(string id) => null;

            public int Read(string id, long position, byte[] buffer, int offset, int count) => 0;

            public byte[]? ReadManifest(string id) => null;

            public long PartialLength(string id) => 0;

            public void DiscardPartial(string id)
            {
            }

            public void AppendPartial(string id, long position, byte[] data, int offset, int count)
            {
            }

            public AckStatus CompletePartial(string id, long totalLength, byte[] hash) => AckStatus.StoreError;

            public AckStatus StoreManifest(string id, byte[] data) => AckStatus.StoreError;

            public RemovalEntry[] ListRemovals() => new RemovalEntry[0];

            public void ApplyRemoval(string id, long removedAtMilliseconds)
            {
            }
        }
    }
}
