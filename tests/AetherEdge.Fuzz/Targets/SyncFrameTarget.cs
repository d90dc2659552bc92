using AetherEdge.Core.Sync;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// SyncFrameCodec.TryRead (every frame a peer sends over TLS). Properties: PeekFrameLength and TryRead agree,
    /// and a frame that reads writes back to exactly the bytes it was read from (the encoding is canonical).
    /// </summary>
    public sealed class SyncFrameTarget : FuzzTarget
    {
        public override string Name => "sync-frame";

        public override string Source => "sync frames from peers (network)";

        public override byte[][] Seeds()
        {
            var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
            var data = Enumerable.Range(0, 700).Select(i => (byte)(i * 7)).ToArray();
            var frames = new SyncFrame[]
            {
                new HelloFrame(1, 3, 10_000_000_000, 1234, 87, HelloFrame.FlagPluggedIn | HelloFrame.FlagAlwaysOn, "pi-hub ü"),
                new InventoryFrame(new[] { new InventoryEntry(SyncItemKind.Shard, "abc.0", 5), new InventoryEntry(SyncItemKind.Manifest, "m:abc", 77) }, true),
                new InventoryFrame(new InventoryEntry[0], false),
                new WantFrame(new[] { new WantEntry("abc.0", 0), new WantEntry("abc.1", 4096) }),
                new HaveFrame("abc.0", true, 1000, hash),
                new HaveFrame("abc.1", false, 0, hash),
                new ShardChunkFrame("abc.0", 24, 1024, data, 0, 700),
                new ShardChunkFrame("abc.0", 1024, 1024, data, 0, 0),
                new AckFrame("abc.0", AckStatus.BadHash),
                new ManifestFrame("m:abc", data),
                new ErrorFrame(SyncErrorCode.ShuttingDown, "bye"),
                new DoneFrame(),
                new KeepAliveFrame(),
                new RemovedFrame(new[] { new RemovalEntry("0123456789abcdef0123456789abcdef", 1_700_000_000_000), new RemovalEntry("m:abc", 0) }),
                new RoutedFrame(data, 0, 120),
                new InventoryHeldFrame(0),
                new InventoryHeldFrame(4_611_686_018_427_387_904),
                new InventoryDeltaFrame(true, false, 0, 7, new[] { new InventoryEntry(SyncItemKind.Manifest, "m:abc", 77), new InventoryEntry(SyncItemKind.Shard, "abc.0", 5) }, new string[0]),
                new InventoryDeltaFrame(false, true, 6, 9, new[] { new InventoryEntry(SyncItemKind.Shard, "abc.1", 0) }, new[] { "abc.0", "m:old" }),
                new InventoryDeltaFrame(false, true, 9, 9, new InventoryEntry[0], new string[0]),
            };
            ulong nonce = 1;
            return frames.Select(f =>
            {
                f.TimestampMilliseconds = 1_700_000_000_000 + (long)nonce;
                f.Nonce = 0xFEDCBA9876543210UL + nonce++;
                return Write(f);
            }).ToArray();
        }

        // Payload length (header bytes 4..7) and the first count/length fields of the payloads.
        public override int[] LengthFieldOffsets(byte[] input) => new[] { 4, 6, 24, 25, 26, 28 };

        public override bool Execute(byte[] input)
        {
            int peeked = SyncFrameCodec.PeekFrameLength(input, 0, input.Length);
            int read = SyncFrameCodec.TryRead(input, 0, input.Length, out var frame);
            if (read == 0)
            {
                FuzzPropertyException.Check(frame == null, "TryRead returned 0 but produced a frame");
                FuzzPropertyException.Check(peeked < 0 || peeked > input.Length, "PeekFrameLength says " + peeked + " bytes are a whole frame but TryRead wants more");
                return false;
            }

            FuzzPropertyException.Check(frame != null && read == peeked && read <= input.Length, "TryRead returned " + read + " with PeekFrameLength " + peeked);
            FuzzPropertyException.Equal(input.AsSpan(0, read).ToArray(), Write(frame!), "a read frame does not write back to its bytes");
            return true;
        }

        private static byte[] Write(SyncFrame frame)
        {
            var buffer = new byte[SyncFrameCodec.EncodedLength(frame)];
            FuzzPropertyException.Check(SyncFrameCodec.TryWrite(frame, buffer, 0, buffer.Length, out int written) && written == buffer.Length, "frame does not write");
            return buffer;
        }
    }
}
