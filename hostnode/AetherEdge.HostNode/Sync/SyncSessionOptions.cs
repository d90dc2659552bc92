namespace AetherEdge.HostNode.Sync
{
    /// <summary>
    /// Bounds on a running session (issue 12 item 2: a trusted peer that finishes TLS and then goes silent
    /// must not hold the one-session-per-peer lock). Progress means bytes read or a write completed, in
    /// either direction, so a long one-way transfer is progress for both ends.
    /// </summary>
    public sealed record SyncSessionOptions
    {
        public static readonly SyncSessionOptions Default = new();

        /// <summary>A session with no progress for this long is ended (counted as a timeout). A write stuck this long too.</summary>
        public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

        /// <summary>A side that wrote nothing for this long sends a KeepAlive (to protocol-2 peers).</summary>
        public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

        /// <summary>
        /// A new session from a peer replaces its running one when that one made no progress for this long
        /// (twice the keep-alive interval: a live protocol-2 peer is never that quiet).
        /// </summary>
        public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>How long a replacing session waits for the stale one to let go of the peer's lock.</summary>
        public TimeSpan ReplaceWait { get; init; } = TimeSpan.FromSeconds(5);

        /// <summary>Options from seconds (hub settings); keep-alive a quarter and staleness half of the idle timeout.</summary>
        public static SyncSessionOptions FromIdleSeconds(int idleSeconds)
        {
            if (idleSeconds < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(idleSeconds), "idle timeout must be at least 2 s");
            }

            var idle = TimeSpan.FromSeconds(idleSeconds);
            return new SyncSessionOptions { IdleTimeout = idle, KeepAliveInterval = idle / 4, StaleAfter = idle / 2 };
        }

        /// <summary>Options from an idle timeout (tests use short ones).</summary>
        public static SyncSessionOptions FromIdle(TimeSpan idle) =>
            new() { IdleTimeout = idle, KeepAliveInterval = idle / 4, StaleAfter = idle / 2, ReplaceWait = idle < TimeSpan.FromSeconds(5) ? idle : TimeSpan.FromSeconds(5) };
    }

    /// <summary>
    /// The liveness of one running session: when it last moved bytes, and how to end it from outside
    /// (its watchdog on a timeout, or a newer session from the same peer replacing it).
    /// </summary>
    public sealed class SessionActivity
    {
        private readonly CancellationTokenSource _abort = new();
        private long _lastProgress = Environment.TickCount64;
        private int _reason;
        private long _keepAlives;
        private int _localWork;
        private bool _peerKeepsAlive;

        /// <summary>Why it was aborted (0 none, 1 idle timeout, 2 replaced).</summary>
        public const int NotAborted = 0;

        public const int TimedOut = 1;

        public const int Replaced = 2;

        public CancellationToken Aborted => _abort.Token;

        public int AbortReason => Volatile.Read(ref _reason);

        /// <summary>
        /// Milliseconds since bytes last moved; 0 while this side is busy in its own store (hashing, fsync):
        /// then it is not reading, and a stall of ours is not the peer's silence.
        /// </summary>
        public long SilentMilliseconds => Volatile.Read(ref _localWork) > 0 ? 0 : Environment.TickCount64 - Interlocked.Read(ref _lastProgress);

        /// <summary>This side starts handling a frame (store work may follow).</summary>
        public void BeginLocalWork() => Interlocked.Increment(ref _localWork);

        /// <summary>Handling done; when it <paramref name="progressed"/> (a frame was handled or made) the idle clock restarts.</summary>
        public void EndLocalWork(bool progressed)
        {
            if (progressed)
            {
                Progress();
            }

            Interlocked.Decrement(ref _localWork);
        }

        /// <summary>The peer's Hello said it understands KeepAlive (set by the reader, read by the writer).</summary>
        public bool PeerKeepsAlive
        {
            get => Volatile.Read(ref _peerKeepsAlive);
            set => Volatile.Write(ref _peerKeepsAlive, value);
        }

        /// <summary>KeepAlive frames this session's writer queued.</summary>
        public long KeepAlivesSent => Interlocked.Read(ref _keepAlives);

        /// <summary>Why it was aborted in words, or null.</summary>
        public string? Explain(SyncSessionOptions options) => AbortReason switch
        {
            TimedOut => "no progress for " + options.IdleTimeout.TotalSeconds + " s (idle timeout)",
            Replaced => "replaced by a newer session from the same peer",
            _ => null,
        };

        public void Progress() => Interlocked.Exchange(ref _lastProgress, Environment.TickCount64);

        public void KeepAliveQueued() => Interlocked.Increment(ref _keepAlives);

        /// <summary>Ends the session once (the first reason wins).</summary>
        public void Abort(int reason)
        {
            if (Interlocked.CompareExchange(ref _reason, reason, NotAborted) == NotAborted)
            {
                try
                {
                    _abort.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }
}
