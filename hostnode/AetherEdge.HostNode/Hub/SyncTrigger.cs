namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Asks the sync service for a round now (discovery found a peer). Requests coalesce: however many
    /// announcements arrive, at most one round is pending, so the network cannot queue rounds.
    /// </summary>
    public sealed class SyncTrigger : IDisposable
    {
        private readonly SemaphoreSlim _pending = new(0, 1);
        private int _push;

        /// <summary>
        /// A round that pushes local news: it dials every trusted peer even if it synced with it moments ago
        /// (the store changed since). Coalesces like <see cref="Request"/>.
        /// </summary>
        public void RequestPush()
        {
            Volatile.Write(ref _push, 1);
            Request();
        }

        /// <summary>True (once) when a push was requested since the last call.</summary>
        public bool TakePush() => Interlocked.Exchange(ref _push, 0) == 1;

        public void Request()
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // A round is already pending; it covers this request too.
            }
        }

        /// <summary>Completes when a round was requested (and consumes the request).</summary>
        public Task WaitAsync(CancellationToken ct) => _pending.WaitAsync(ct);

        public void Dispose() => _pending.Dispose();
    }
}
