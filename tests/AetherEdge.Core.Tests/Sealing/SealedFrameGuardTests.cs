using System.Security.Cryptography;
using AetherEdge.Core.Sealing;

namespace AetherEdge.Core.Tests.Sealing
{
    public class SealedFrameGuardTests
    {
        private const uint Phone = 0x11111111;
        private const uint Hub = 0x22222222;
        private const uint Stranger = 0x33333333;
        private const long T0 = 1_780_000_000_000;

        [Fact]
        public void FreshAuthenticFrame_IsAccepted_AndItsBodyIsWhereTheHeaderSays()
        {
            var guard = Guard();
            byte[] frame = Seal(Phone, Hub, T0, 1, new byte[] { 1, 2, 3 });
            var header = new SealedFrameHeader();
            Assert.Equal(SealVerdict.Accepted, guard.Open(frame, 0, frame.Length, T0 + 500, header));
            Assert.Equal(Phone, header.Sender);
            Assert.Equal(new byte[] { 1, 2, 3 }, frame.AsSpan(header.BodyOffset, header.BodyLength).ToArray());
        }

        [Fact]
        public void RecordedFrame_PlayedAgainInsideTheWindow_IsRefusedAsReplay()
        {
            var guard = Guard();
            byte[] frame = Seal(Phone, Hub, T0, 7, new byte[] { 9 });
            Assert.Equal(SealVerdict.Accepted, guard.Open(frame, 0, frame.Length, T0, new SealedFrameHeader()));
            Assert.Equal(SealVerdict.Replay, guard.Open(frame, 0, frame.Length, T0 + 1000, new SealedFrameHeader()));
            Assert.Equal(1, guard.Count(SealVerdict.Replay));
        }

        [Fact]
        public void RecordedFrame_PlayedAfterTheWindow_IsRefusedAsStale()
        {
            var guard = Guard();
            byte[] frame = Seal(Phone, Hub, T0, 7, new byte[] { 9 });
            Assert.Equal(SealVerdict.Accepted, guard.Open(frame, 0, frame.Length, T0, new SealedFrameHeader()));
            Assert.Equal(SealVerdict.Stale, guard.Open(frame, 0, frame.Length, T0 + SealedFrameGuard.DefaultWindowMilliseconds + 1, new SealedFrameHeader()));
        }

        [Fact]
        public void StrangerForgeryAndAlteredBody_AreRefused()
        {
            var guard = Guard();
            byte[] stranger = Seal(Stranger, Hub, T0, 1, new byte[] { 1 });
            Assert.Equal(SealVerdict.Stranger, guard.Open(stranger, 0, stranger.Length, T0, new SealedFrameHeader()));
            byte[] altered = Seal(Phone, Hub, T0, 2, new byte[] { 1, 2 });
            altered[SealedFrame.HeaderBytes] ^= 1;
            Assert.Equal(SealVerdict.Stranger, guard.Open(altered, 0, altered.Length, T0, new SealedFrameHeader()));
            byte[] forOther = Seal(Phone, Stranger, T0, 3, new byte[] { 1 });
            Assert.Equal(SealVerdict.NotForUs, guard.Open(forOther, 0, forOther.Length, T0, new SealedFrameHeader()));
            Assert.Equal(SealVerdict.Malformed, guard.Open(new byte[10], 0, 10, T0, new SealedFrameHeader()));
        }

        [Fact]
        public void FullNonceTable_EvictsTheOldest_AndRefusesEverythingNotNewerThanIt()
        {
            var guard = new SealedFrameGuard(Hub, new Keys(), SealedFrameGuard.DefaultWindowMilliseconds, 2);
            byte[] first = Seal(Phone, Hub, T0, 1, new byte[] { 1 });
            byte[] second = Seal(Phone, Hub, T0 + 10, 2, new byte[] { 1 });
            byte[] third = Seal(Phone, Hub, T0 + 20, 3, new byte[] { 1 });
            Assert.Equal(SealVerdict.Accepted, guard.Open(first, 0, first.Length, T0 + 30, new SealedFrameHeader()));
            Assert.Equal(SealVerdict.Accepted, guard.Open(second, 0, second.Length, T0 + 30, new SealedFrameHeader()));
            Assert.Equal(SealVerdict.Accepted, guard.Open(third, 0, third.Length, T0 + 30, new SealedFrameHeader()));

            // "first" was evicted to make room: it must still not be accepted again.
            Assert.Equal(SealVerdict.Replay, guard.Open(first, 0, first.Length, T0 + 40, new SealedFrameHeader()));
        }

        private static SealedFrameGuard Guard() => new(Hub, new Keys(), SealedFrameGuard.DefaultWindowMilliseconds, SealedFrameGuard.DefaultCapacity);

        private static byte[] Seal(uint sender, uint receiver, long t, ulong nonce, byte[] body)
        {
            var frame = new byte[SealedFrame.OverheadBytes + body.Length];
            Assert.Equal(frame.Length, SealedFrame.Seal(new Keys(sender == Stranger), sender, receiver, t, nonce, body, 0, body.Length, frame, 0));
            return frame;
        }

        /// <summary>The phone–hub pair key; a stranger tags with a key of its own.</summary>
        private sealed class Keys : IFrameAuthenticator
        {
            private readonly byte[] _key;

            public Keys(bool stranger = false)
            {
                _key = Enumerable.Repeat(stranger ? (byte)0xEE : (byte)0x42, 32).ToArray();
            }

            public bool TryTag(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset)
            {
                HMACSHA256.HashData(_key, data.AsSpan(offset, length)).AsSpan(0, SealedFrame.TagBytes).CopyTo(tag.AsSpan(tagOffset));
                return true;
            }

            public bool Verify(uint peer, byte[] data, int offset, int length, byte[] tag, int tagOffset)
            {
                var mine = new byte[SealedFrame.TagBytes];
                return peer != Stranger && TryTag(peer, data, offset, length, mine, 0) && CryptographicOperations.FixedTimeEquals(mine, tag.AsSpan(tagOffset, SealedFrame.TagBytes));
            }
        }
    }
}
