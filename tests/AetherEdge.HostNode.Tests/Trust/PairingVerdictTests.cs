using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Tests.Trust
{
    /// <summary>
    /// A judged proof always gets its answer. The wrong proof that uses up the code ends the show, and the
    /// show ending cancelled the connection before its verdict was written: that device saw a hang-up
    /// ("closed") instead of "wrong" (the race behind SixParallelWrongProofs seeing two wrong verdicts).
    /// </summary>
    public sealed class PairingVerdictTests : IDisposable
    {
        private const int Code = 135_791;
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-verdict-" + Guid.NewGuid().ToString("N"));
        private readonly NodeIdentity _shower;
        private readonly NodeIdentity _joiner;

        public PairingVerdictTests()
        {
            _shower = NodeIdentity.LoadOrCreate(Path.Combine(_root, "a"));
            _joiner = NodeIdentity.LoadOrCreate(Path.Combine(_root, "b"));
        }

        public void Dispose()
        {
            _shower.Dispose();
            _joiner.Dispose();
            Directory.Delete(_root, true);
        }

        [Fact]
        public async Task LastWrongProof_ShowEndsAsItIsJudged_TheDeviceStillHearsWrong()
        {
            var gate = new PairingGate(Code, 1);
            using var show = new CancellationTokenSource();
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accept = listener.AcceptAsync();
            await client.ConnectAsync(listener.LocalEndPoint!);
            using var server = await accept;

            // The show ends exactly when the verdict (the one-byte message) is about to be written.
            var serverStream = new EndsShowOnVerdict(new NetworkStream(server), show);
            var served = PairingExchange.RunServerAsync(serverStream, new PairingKeys(Spki(_shower), Spki(_joiner)), "hub", gate, show.Token);
            var joined = await PairingExchange.RunClientAsync(new NetworkStream(client), new PairingKeys(Spki(_joiner), Spki(_shower)), "phone", Code + 1, CancellationToken.None);

            Assert.Equal(PairingVerdict.Wrong, joined.Verdict);
            Assert.Equal(PairingVerdict.Wrong, (await served).Verdict);
            Assert.True(show.IsCancellationRequested);
            Assert.Equal(1, gate.FailedAttempts);
        }

        private static byte[] Spki(NodeIdentity id) => id.Certificate.PublicKey.ExportSubjectPublicKeyInfo();

        private sealed class EndsShowOnVerdict : Stream
        {
            private readonly Stream _inner;
            private readonly CancellationTokenSource _show;

            public EndsShowOnVerdict(Stream inner, CancellationTokenSource show)
            {
                _inner = inner;
                _show = show;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush() => _inner.Flush();

            public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (buffer.Length == 1)
                {
                    _show.Cancel();
                }

                return _inner.WriteAsync(buffer, cancellationToken);
            }

            public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
