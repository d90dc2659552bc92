namespace AetherEdge.HostNode.Trust
{
    /// <summary>What the showing side answers to one completed proof.</summary>
    public enum PairingVerdict
    {
        /// <summary>The proof was for another code; counted as a failed attempt.</summary>
        Wrong = 0,

        /// <summary>The proof matched; this connection now holds the code until it finishes or fails.</summary>
        Right = 1,

        /// <summary>The code is used up (paired, disabled, or another device is finishing with it); nothing was checked.</summary>
        Closed = 2,
    }

    /// <summary>
    /// The showing side's one-time code and its attempt budget, shared by every connection that is
    /// being served at once. Only a completed proof is judged, and judging is serialised, so however
    /// many devices connect in parallel at most <see cref="MaxFailed"/> wrong proofs are ever checked:
    /// connections that stall, drop or send garbage before their proof cost nothing.
    /// </summary>
    public sealed class PairingGate
    {
        private readonly object _gate = new();
        private readonly TaskCompletionSource<bool> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _failed;
        private bool _claimed;

        public PairingGate(int code, int maxFailed)
        {
            if (code < 0 || code > PairingExchange.MaxCode)
            {
                throw new ArgumentOutOfRangeException(nameof(code));
            }

            Code = code;
            MaxFailed = maxFailed;
        }

        /// <summary>The code this side shows (used by its own half of the exchange).</summary>
        internal int Code { get; }

        public int MaxFailed { get; }

        public int FailedAttempts
        {
            get
            {
                lock (_gate)
                {
                    return _failed;
                }
            }
        }

        /// <summary>True once the code was used for a pairing or disabled by wrong proofs.</summary>
        public bool IsFinished => _finished.Task.IsCompleted;

        /// <summary>Completes with true after a pairing, false when wrong proofs disabled the code.</summary>
        public Task<bool> Finished => _finished.Task;

        /// <summary>
        /// Judges one completed proof: <paramref name="proofHolds"/> runs only while the code is open
        /// and no other connection holds it, so the number of guesses checked is bounded exactly.
        /// </summary>
        public PairingVerdict Judge(Func<bool> proofHolds)
        {
            lock (_gate)
            {
                if (_claimed || _finished.Task.IsCompleted)
                {
                    return PairingVerdict.Closed;
                }

                if (proofHolds())
                {
                    _claimed = true;
                    return PairingVerdict.Right;
                }

                _failed++;
                if (_failed >= MaxFailed)
                {
                    _finished.TrySetResult(false);
                }

                return PairingVerdict.Wrong;
            }
        }

        /// <summary>The connection that proved the code finished pairing: the code is spent.</summary>
        public void Complete()
        {
            lock (_gate)
            {
                _finished.TrySetResult(true);
            }
        }

        /// <summary>
        /// The connection that proved the code failed afterwards (dropped, timed out): its proof showed
        /// it knows the code, so the code stays open for a retry and no attempt is counted.
        /// </summary>
        public void Release()
        {
            lock (_gate)
            {
                _claimed = false;
            }
        }
    }
}
