namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Asks the sync service for a round now (discovery found a peer). Requests coalesce: however many
    /// announcements arrive, at most one round is pending, so the network cannot queue rounds.
    /// </summary>
    public sealed class SyncTrigger : IDisposable
    {
        private readonly SemaphoreSlim _pending = new(0, 1);

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
