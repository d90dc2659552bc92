using System.Collections;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// Replay defence for one peer (seed threat 3): a frame is accepted only if its timestamp is
    /// within <see cref="MaxSkewMilliseconds"/> of local time and its nonce was not seen before
    /// while its timestamp could still pass. Nonces older than the skew are forgotten (such frames
    /// fail the timestamp test anyway). When more than the capacity arrive within one window,
    /// the window raises a floor: frames older than the newest seen timestamp are then refused.
    /// </summary>
    public sealed class ReplayWindow
    {
        private readonly Hashtable _seen = new Hashtable();
        private readonly int _capacity;
        private long _floor = long.MinValue;
        private long _newest = long.MinValue;

        /// <summary>Creates a window with the given skew and nonce capacity.</summary>
        public ReplayWindow(long maxSkewMilliseconds, int capacity)
        {
            MaxSkewMilliseconds = maxSkewMilliseconds;
            _capacity = capacity < 1 ? 1 : capacity;
        }

        /// <summary>Creates a window with the protocol's defaults.</summary>
        public ReplayWindow()
            : this(SyncLimits.MaxClockSkewMilliseconds, SyncLimits.DefaultReplayCapacity)
        {
        }

        /// <summary>Largest accepted difference between frame time and local time.</summary>
        public long MaxSkewMilliseconds { get; }

        /// <summary>Nonces currently remembered.</summary>
        public int Count
        {
            get { return _seen.Count; }
        }

        /// <summary>Start of the reason of a frame refused for its timestamp (clock skew between the peers).</summary>
        public const string SkewReason = "clock skew: ";

        /// <summary>Start of the reason of a frame refused as a replay (nonce seen, or older than the floor).</summary>
        public const string ReplayReason = "replay: ";

        /// <summary>Frames refused so far.</summary>
        public long Rejected { get; private set; }

        /// <summary>Frames refused because their timestamp was outside the skew (stale or from the future).</summary>
        public long RejectedSkew { get; private set; }

        /// <summary>Frames refused as replays (nonce already seen, older than the floor, or over capacity).</summary>
        public long RejectedReplay
        {
            get { return Rejected - RejectedSkew; }
        }

        /// <summary>True when a session failure <paramref name="reason"/> (ours or the peer's) was a skew refusal.</summary>
        public static bool IsSkew(string reason)
        {
            return reason != null && reason.IndexOf(SkewReason) >= 0;
        }

        /// <summary>True when a session failure <paramref name="reason"/> (ours or the peer's) was a replay refusal.</summary>
        public static bool IsReplay(string reason)
        {
            return reason != null && reason.IndexOf(ReplayReason) >= 0;
        }

        /// <summary>Accepts the frame or throws <see cref="ProtocolViolationException"/> naming why not.</summary>
        public void Check(long timestampMilliseconds, ulong nonce, long nowMilliseconds)
        {
            // One window may serve concurrent sessions with the same peer.
            lock (_seen)
            {
                CheckLocked(timestampMilliseconds, nonce, nowMilliseconds);
            }
        }

        private void CheckLocked(long timestampMilliseconds, ulong nonce, long nowMilliseconds)
        {
            if (timestampMilliseconds < nowMilliseconds - MaxSkewMilliseconds)
            {
                RejectedSkew++;
                Reject(SkewReason + "stale frame, timestamp " + (nowMilliseconds - timestampMilliseconds) + " ms old, over the " + MaxSkewMilliseconds + " ms limit");
            }

            if (timestampMilliseconds > nowMilliseconds + MaxSkewMilliseconds)
            {
                RejectedSkew++;
                Reject(SkewReason + "frame from the future, timestamp " + (timestampMilliseconds - nowMilliseconds) + " ms ahead, over the " + MaxSkewMilliseconds + " ms limit");
            }

            if (timestampMilliseconds < _floor)
            {
                Reject(ReplayReason + "frame older than the replay floor");
            }

            if (_seen.Contains(nonce))
            {
                Reject(ReplayReason + "replayed frame, nonce " + nonce.ToString("X16") + " already seen");
            }

            if (_seen.Count >= _capacity)
            {
                Prune(nowMilliseconds - MaxSkewMilliseconds);
                if (_seen.Count >= _capacity)
                {
                    _floor = _newest;
                    Prune(_floor);
                    if (_seen.Count >= _capacity)
                    {
                        Reject(ReplayReason + "more than " + _capacity + " frames within one millisecond");
                    }

                    if (timestampMilliseconds < _floor)
                    {
                        Reject(ReplayReason + "frame older than the replay floor");
                    }
                }
            }

            _seen[nonce] = timestampMilliseconds;
            if (timestampMilliseconds > _newest)
            {
                _newest = timestampMilliseconds;
            }
        }

        private void Reject(string reason)
        {
            Rejected++;
            throw new ProtocolViolationException(reason);
        }

        private void Prune(long olderThan)
        {
            var stale = new ArrayList();
            foreach (DictionaryEntry e in _seen)
            {
                if ((long)e.Value! < olderThan)
                {
                    stale.Add(e.Key);
                }
            }

            for (int i = 0; i < stale.Count; i++)
            {
                _seen.Remove(stale[i]!);
            }
        }
    }
}
