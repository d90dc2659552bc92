using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;
using Org.BouncyCastle.Security;

namespace AetherEdge.HostNode.Tests.Trust
{
    /// <summary>
    /// What an active attacker learns from failed pairing attempts. The exchange runs over a real
    /// loopback TCP connection; both sides draw their randomness from seeded generators so that
    /// everything an attacker receives can be compared byte for byte across guesses.
    /// </summary>
    public sealed class PairingLeakTests : IDisposable
    {
        private const int Code = 473_921;
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-leak-" + Guid.NewGuid().ToString("N"));
        private readonly NodeIdentity _shower;
        private readonly NodeIdentity _attacker;

        public PairingLeakTests()
        {
            _shower = NodeIdentity.LoadOrCreate(Path.Combine(_root, "a"));
            _attacker = NodeIdentity.LoadOrCreate(Path.Combine(_root, "m"));
        }

        public void Dispose()
        {
            _shower.Dispose();
            _attacker.Dispose();
            Directory.Delete(_root, true);
        }

        [Fact]
        public async Task TwoDifferentWrongCodes_LearnByteIdenticalAnswers_WhereTheSeedsBitByBitCheckToldThemApart()
        {
            // 473921 ^ 1 differs in bit 0 and 473921 ^ (1 << 19) in bit 19: the seed's bit-by-bit check
            // stopped at round 0 for one and round 19 for the other, handing over 19 bits of the code.
            var first = await AttemptAsync(Code ^ 1, new PairingGate(Code, 3));
            var second = await AttemptAsync(Code ^ (1 << 19), new PairingGate(Code, 3));
            Assert.Equal(PairingVerdict.Wrong, first.Verdict);
            Assert.Equal(PairingVerdict.Wrong, second.Verdict);
            Assert.Equal(first.Received, second.Received);
            Assert.NotEqual(first.Sent, second.Sent);

            // The comparison can tell answers apart: the right code draws a different answer.
            var right = await AttemptAsync(Code, new PairingGate(Code, 3));
            Assert.Equal(PairingVerdict.Right, right.Verdict);
            Assert.NotEqual(first.Received, right.Received);
            Assert.True(right.Received.Length > first.Received.Length, "the right code also receives the showing side's tag");
        }

        [Fact]
        public async Task AdaptiveAttacker_EachFailedTryRulesOutOnlyItsOwnGuess_ThreeTriesWin3In1000000()
        {
            // An adaptive attacker picks each guess from everything it has received so far (here: a hash
            // of the transcript, so any difference in the answers would steer it elsewhere). Over many
            // simulated attempts, every wrong guess draws the same answer, so the answers partition the
            // 10^6 codes only into {guess} and {the rest}: after k failures exactly 10^6 - k candidates
            // remain and three tries succeed with probability 3/10^6 whatever the strategy.
            var gate = new PairingGate(Code, int.MaxValue);
            var answers = new HashSet<string>();
            var eliminated = new HashSet<int>();
            byte[] seen = Array.Empty<byte>();
            const int attempts = 6;
            for (int i = 0; i < attempts; i++)
            {
                int guess = NextGuess(seen, eliminated);
                var attempt = await AttemptAsync(guess, gate);
                Assert.Equal(PairingVerdict.Wrong, attempt.Verdict);
                answers.Add(Convert.ToHexString(attempt.Received));
                eliminated.Add(guess);
                seen = attempt.Received;
            }

            Assert.Single(answers);
            Assert.Equal(attempts, gate.FailedAttempts);
            int candidatesLeft = (PairingExchange.MaxCode + 1) - eliminated.Count;
            Assert.Equal(1_000_000 - attempts, candidatesLeft);

            // With one answer for every wrong guess, an attacker's three guesses are fixed in advance: it
            // wins on exactly 3 of the 10^6 equally likely codes (the seed's design: 1 in 4,969).
            double threeTries = 1.0 - ((999_999.0 / 1_000_000) * (999_998.0 / 999_999) * (999_997.0 / 999_998));
            Assert.Equal(3e-6, threeTries, 12);
        }

        [Fact]
        public async Task RelayBetweenTwoHonestDevices_TheShowingSideRefusesTheProofBeforeJudgingIt()
        {
            // A device in the middle re-presents its own certificate; the joining side's proof is bound to
            // the certificate it saw, so the showing side (seeing the relay's) rejects it as invalid.
            using var relay = NodeIdentity.LoadOrCreate(Path.Combine(_root, "r"));
            var gate = new PairingGate(Code, 3);
            var (server, client) = await ConnectedPairAsync();
            using (server)
            using (client)
            {
                var showKeys = new PairingKeys(Spki(_shower), Spki(relay));
                var joinKeys = new PairingKeys(Spki(_attacker), Spki(_shower));
                var show = PairingExchange.RunServerAsync(new NetworkStream(server), showKeys, "hub", gate, CancellationToken.None);
                var join = PairingExchange.RunClientAsync(new NetworkStream(client), joinKeys, "phone", Code, CancellationToken.None);
                await Assert.ThrowsAsync<IOException>(() => show);
                server.Dispose();
                await Assert.ThrowsAnyAsync<Exception>(() => join);
            }

            Assert.Equal(0, gate.FailedAttempts);
        }

        private static int NextGuess(byte[] transcript, HashSet<int> eliminated)
        {
            int guess = (int)(BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(transcript), 0) % 1_000_000);
            while (guess == Code || eliminated.Contains(guess))
            {
                guess = (guess + 1) % 1_000_000;
            }

            return guess;
        }

        private sealed record Attempt(PairingVerdict Verdict, byte[] Sent, byte[] Received);

        private async Task<Attempt> AttemptAsync(int guess, PairingGate gate)
        {
            var (server, client) = await ConnectedPairAsync();
            using (server)
            using (client)
            {
                var recorded = new RecordingStream(new NetworkStream(client));
                var show = PairingExchange.RunServerAsync(new NetworkStream(server), new PairingKeys(Spki(_shower), Spki(_attacker)), "hub", gate,
                    CancellationToken.None, Seeded(1));
                var join = await PairingExchange.RunClientAsync(recorded, new PairingKeys(Spki(_attacker), Spki(_shower)), "mallory", guess,
                    CancellationToken.None, Seeded(2));
                var shown = await show;
                Assert.Equal(join.Verdict, shown.Verdict);
                return new Attempt(join.Verdict, recorded.Written.ToArray(), recorded.Received.ToArray());
            }
        }

        private static byte[] Spki(NodeIdentity id) => id.Certificate.PublicKey.ExportSubjectPublicKeyInfo();

        private static SecureRandom Seeded(long seed)
        {
            var random = SecureRandom.GetInstance("SHA256PRNG", false);
            random.SetSeed(seed);
            return random;
        }

        private static async Task<(Socket Server, Socket Client)> ConnectedPairAsync()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accept = listener.AcceptAsync();
            await client.ConnectAsync(listener.LocalEndPoint!);
            return (await accept, client);
        }

        /// <summary>Keeps every byte the attacker's side read and wrote.</summary>
        private sealed class RecordingStream : Stream
        {
            private readonly Stream _inner;

            public RecordingStream(Stream inner)
            {
                _inner = inner;
            }

            public MemoryStream Received { get; } = new();

            public MemoryStream Written { get; } = new();

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => throw new NotSupportedException();
                set => throw new NotSupportedException();
            }

            public override void Flush() => _inner.Flush();

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = _inner.Read(buffer, offset, count);
                Received.Write(buffer, offset, n);
                return n;
            }

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                int n = await _inner.ReadAsync(buffer, cancellationToken);
                Received.Write(buffer.Span[..n]);
                return n;
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                Written.Write(buffer, offset, count);
                _inner.Write(buffer, offset, count);
            }

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                Written.Write(buffer.Span);
                return _inner.WriteAsync(buffer, cancellationToken);
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
