using AetherEdge.HostNode.Hub;

namespace AetherEdge.HostNode.Tests.Hub
{
    public sealed class SyncTriggerTests
    {
        [Fact]
        public async Task Request_ManyAnnouncements_OneRoundPending()
        {
            using var trigger = new SyncTrigger();
            for (int i = 0; i < 1000; i++)
            {
                trigger.Request();
            }

            await trigger.WaitAsync(CancellationToken.None);
            using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trigger.WaitAsync(none.Token));
        }

        [Fact]
        public async Task Request_AfterACancelledWait_StillWakesTheNextWait()
        {
            using var trigger = new SyncTrigger();
            using (var gaveUp = new CancellationTokenSource())
            {
                var abandoned = trigger.WaitAsync(gaveUp.Token);
                gaveUp.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
            }

            trigger.Request();
            using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await trigger.WaitAsync(soon.Token);
        }
    }
}
