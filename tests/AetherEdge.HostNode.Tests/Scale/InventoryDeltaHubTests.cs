using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Scale
{
    /// <summary>
    /// Two hubs' real parts (containers, SQLite stores, placement, TLS sessions on loopback) under sync protocol 3:
    /// once settled, a session exchanges no inventory entries and looks at no offered item; a put of one file
    /// exchanges its 16 entries and the receiver looks at about those only.
    /// </summary>
    public sealed class InventoryDeltaHubTests : IDisposable
    {
        private const int Files = 30;
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-delta-" + Guid.NewGuid().ToString("N"));
        private readonly IHost _a;
        private readonly IHost _b;
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(5));
        private readonly Task _serving;
        private readonly ShardPipeline _put;
        private int _seed;

        public InventoryDeltaHubTests()
        {
            _a = Hub("a");
            _b = Hub("b");
            Get<TrustCircle>(_a).Add(Get<NodeIdentity>(_b).DeviceId, "b", DateTimeOffset.UtcNow);
            Get<TrustCircle>(_b).Add(Get<NodeIdentity>(_a).DeviceId, "a", DateTimeOffset.UtcNow);
            Get<PullPolicy>(_a).Start();
            Get<PullPolicy>(_b).Start();
            _put = new ShardPipeline(Get<ShardStore>(_a), new UserKeys(RandomNumberGenerator.GetBytes(32)));
            for (int f = 0; f < Files; f++)
            {
                PutOne();
            }

            _listener.Start();
            _serving = Get<SyncNode>(_b).ServeAsync(_listener, _stop.Token);
        }

        [Fact]
        public async Task SettledHubs_IdleSession_ExchangesNoEntries_AndLooksAtNoOfferedItem()
        {
            var first = await Session();
            Assert.Equal(Files * 16, first.InventoryEntriesSent);
            Assert.True(first.BytesSent > 0, "B pulled its planned shards");
            await Session();
            long evaluatedA = Get<HubSyncHosts>(_a).ItemsEvaluated;
            long evaluatedB = Get<HubSyncHosts>(_b).ItemsEvaluated;
            var metrics = Get<SyncNode>(_a).Metrics;
            long counted = metrics.InventoryEntries(SyncMetrics.Sent) + metrics.InventoryEntries(SyncMetrics.Received);

            var idle = await Session();

            Assert.Equal(SyncSessionState.Complete, idle.State);
            Assert.Equal(0, idle.InventoryEntriesSent + idle.InventoryEntriesReceived);
            Assert.Equal(0, idle.BytesSent + idle.BytesReceived);
            Assert.Equal(evaluatedA, Get<HubSyncHosts>(_a).ItemsEvaluated);
            Assert.Equal(evaluatedB, Get<HubSyncHosts>(_b).ItemsEvaluated);
            Assert.Equal(counted, metrics.InventoryEntries(SyncMetrics.Sent) + metrics.InventoryEntries(SyncMetrics.Received));
        }

        [Fact]
        public async Task PutOfOneFile_ExchangesItsSixteenEntries_AndTheReceiverLooksAtAboutThose()
        {
            await Session();
            await Session();
            long evaluatedB = Get<HubSyncHosts>(_b).ItemsEvaluated;
            long storedB = Get<ShardStoreSyncStore>(_b).ListItems().Length;

            var manifest = PutOne();
            var after = await Session();

            Assert.Equal(SyncSessionState.Complete, after.State);
            Assert.Equal(16, after.InventoryEntriesSent);
            Assert.True(Get<ShardStoreSyncStore>(_b).HasManifest(manifest.FileIdText));
            Assert.True(Get<ShardStoreSyncStore>(_b).ListItems().Length > storedB + 1, "B pulled its share of the new file");
            long looked = Get<HubSyncHosts>(_b).ItemsEvaluated - evaluatedB;
            Assert.InRange(looked, 16, 16 * 4);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _serving.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
            }

            _a.Dispose();
            _b.Dispose();
            Directory.Delete(_root, true);
        }

        private IHost Hub(string name) =>
            HubHost.Build(new HubSettings { Home = Path.Combine(_root, name), Name = name, Kind = DeviceKind.Hub, AllocationBytes = 2L << 30, Mdns = false }, TextWriter.Null);

        private ShardManifest PutOne()
        {
            string path = Path.Combine(_root, "in-" + _seed);
            var bytes = new byte[300];
            new Random(_seed++).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            return _put.Put(path, 10, 5).Manifest;
        }

        // A dials B: B's sessions run in its own serve loop, as between two running hubs.
        private Task<SyncOutcome> Session() =>
            Get<SyncNode>(_a).SyncWithAsync((IPEndPoint)_listener.LocalEndpoint, Get<NodeIdentity>(_b).DeviceId, _stop.Token);

        private static T Get<T>(IHost host)
            where T : notnull => host.Services.GetRequiredService<T>();
    }
}
