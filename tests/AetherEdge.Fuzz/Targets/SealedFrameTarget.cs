using System.Security.Cryptography;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sealing;

namespace AetherEdge.Fuzz.Targets
{
    /// <summary>
    /// SealedFrame.Parse and SealedFrameGuard.Open (sealed frames from BLE peers and relays). Properties: Open never
    /// throws and agrees with Parse (malformed exactly when Parse refuses); an accepted frame re-seals to the same
    /// bytes; a frame accepted once is refused as a replay the second time.
    /// </summary>
    public sealed class SealedFrameTarget : FuzzTarget
    {
        private const uint Sender = 0x0A0A0A0A;
        private const uint Receiver = 0x0B0B0B0B;
        private const long Now = 1_780_000_000_000;
        private static readonly PairKey s_keys = new();

        public override string Name => "sealed-frame";

        public override string Source => "sealed frames from BLE peers (network)";

        public override byte[][] Seeds()
        {
            var seeds = new List<byte[]>();
            foreach (int n in new[] { 1, 40, 300 })
            {
                var body = Enumerable.Range(0, n).Select(i => (byte)(i + 1)).ToArray();
                var frame = new byte[SealedFrame.OverheadBytes + n];
                int written = SealedFrame.Seal(s_keys, Sender, Receiver, Now - n, (ulong)n * 7919, body, 0, n, frame, 0);
                FuzzPropertyException.Check(written == frame.Length, "seed does not seal");
                seeds.Add(frame);
            }

            return seeds.ToArray();
        }

        public override int[] LengthFieldOffsets(byte[] input) => new[] { 1, 2, 6, 10 };

        public override bool Execute(byte[] input)
        {
            var guard = new SealedFrameGuard(Receiver, s_keys, SealedFrameGuard.DefaultWindowMilliseconds, 4);
            var header = new SealedFrameHeader();
            SealVerdict verdict = guard.Open(input, 0, input.Length, Now, header);
            bool parses;
            try
            {
                SealedFrame.Parse(input, 0, input.Length, new SealedFrameHeader());
                parses = true;
            }
            catch (ProtocolViolationException)
            {
                parses = false;
            }

            FuzzPropertyException.Check(parses == (verdict != SealVerdict.Malformed), "Open said " + verdict + " but Parse " + (parses ? "accepts" : "refuses"));
            if (verdict == SealVerdict.Accepted)
            {
                var again = new byte[input.Length];
                int n = SealedFrame.Seal(s_keys, header.Sender, header.Receiver, header.TimestampMs, header.Nonce, input, header.BodyOffset, header.BodyLength, again, 0);
                FuzzPropertyException.Check(n == input.Length && again.AsSpan().SequenceEqual(input), "accepted frame does not re-seal to itself");
                FuzzPropertyException.Check(guard.Open(input, 0, input.Length, Now, header) == SealVerdict.Replay, "accepted frame accepted twice");
            }

            return parses;
        }

        /// <summary>One pair key between the two test nodes (HMAC-SHA256/128, as the hub's).</summary>
        private sealed class PairKey : IFrameAuthenticator
        {
            private readonly byte[] _key = Enumerable.Range(0, 32).Select(i => (byte)(i * 5)).ToArray();

            public bool TryTag(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset)
            {
                if (peer != Sender && peer != Receiver)
                {
                    return false;
                }

                HMACSHA256.HashData(_key, data.AsSpan(offset, length)).AsSpan(0, SealedFrame.TagBytes).CopyTo(tag.AsSpan(tagOffset));
                return true;
            }

            public bool Verify(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset)
            {
                var mine = new byte[SealedFrame.TagBytes];
                return TryTag(peer, data, offset, length, mine, 0) && CryptographicOperations.FixedTimeEquals(mine, tag.AsSpan(tagOffset, SealedFrame.TagBytes));
            }
        }
    }
}
