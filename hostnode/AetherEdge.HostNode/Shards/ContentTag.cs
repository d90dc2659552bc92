using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AetherEdge.HostNode.Shards
{
    /// <summary>
    /// A file's content identity, keyed by the owner: HMAC-SHA256(content key, "AECT" | size (u64 BE) |
    /// segment size (u32 BE) | SHA-256 of each plaintext segment in order). Equal content of the same user
    /// gives the same tag; without the user's key it says nothing about the content (peers learn nothing).
    /// Segment-wise so the put's coders hash each segment as they read it, in any order.
    /// </summary>
    public static class ContentTag
    {
        public const int SegmentHashBytes = 32;

        private static readonly byte[] s_label = Encoding.ASCII.GetBytes("AECT");

        public static byte[] Combine(byte[] contentKey, long size, int segmentBytes, byte[] segmentHashes)
        {
            byte[] head = new byte[s_label.Length + 12];
            s_label.CopyTo(head, 0);
            BinaryPrimitives.WriteInt64BigEndian(head.AsSpan(4), size);
            BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(12), segmentBytes);
            using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, contentKey);
            mac.AppendData(head);
            mac.AppendData(segmentHashes);
            return mac.GetHashAndReset();
        }

        /// <summary>The tag of <paramref name="length"/> bytes of an open file from <paramref name="offset"/> (one sequential read).</summary>
        public static byte[] Of(byte[] contentKey, SafeFileHandle file, long offset, long length, int segmentBytes, CancellationToken cancellation)
        {
            var layout = new ShardLayout(length, segmentBytes, 1, 2);
            byte[] hashes = new byte[layout.SegmentCount * SegmentHashBytes];
            byte[] buffer = new byte[segmentBytes];
            for (long s = 0; s < layout.SegmentCount; s++)
            {
                cancellation.ThrowIfCancellationRequested();
                int plain = layout.PlainBytes(s);
                int got = 0;
                while (got < plain)
                {
                    int r = RandomAccess.Read(file, buffer.AsSpan(got, plain - got), offset + (s * segmentBytes) + got);
                    if (r == 0)
                    {
                        throw new ShardException("file shrank while it was read; nothing stored");
                    }

                    got += r;
                }

                SHA256.HashData(buffer.AsSpan(0, plain), hashes.AsSpan((int)(s * SegmentHashBytes), SegmentHashBytes));
            }

            return Combine(contentKey, length, segmentBytes, hashes);
        }
    }
}
