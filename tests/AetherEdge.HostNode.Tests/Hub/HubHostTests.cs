using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>The hub's composition: the container builds every part once, in dependency order, and refuses a cycle.</summary>
    public sealed class HubHostTests : IDisposable
    {
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aesy-host-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_home))
            {
                Directory.Delete(_home, true);
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Build_TempHome_InitialisesItAndResolvesEveryHostedService(bool mdns)
        {
            using var host = HubHost.Build(new HubSettings { Home = _home, Name = "composed", Mdns = mdns }, TextWriter.Null);
            Assert.True(NodeHome.IsInitialized(_home));

            var hosted = host.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
            Assert.Contains(typeof(SyncHostedService), hosted);
            Assert.Contains(typeof(AetherEdge.HostNode.Http.HttpHost), hosted);
            Assert.Contains(host.Services.GetRequiredService<MetricsEndpoint>(), host.Services.GetServices<AetherEdge.HostNode.Http.IHttpEndpoints>());
            Assert.Equal(mdns, hosted.Contains(typeof(HubDiscoveryService)));

            // One instance per part, whichever interface it is asked for by.
            var store = host.Services.GetRequiredService<ShardStoreSyncStore>();
            Assert.Same(store, host.Services.GetRequiredService<INodeStore>());
            Assert.Same(host.Services.GetRequiredService<PullPolicy>(), host.Services.GetRequiredService<IPullPolicy>());
            Assert.Same(host.Services.GetRequiredService<ShardStore>(), host.Services.GetRequiredService<ShardStore>());
        }

        [Fact]
        public void Build_EveryMetricsSourceInTheAssembly_IsRegisteredOnceAsTheInstanceItsUsersGet()
        {
            using var host = HubHost.Build(new HubSettings { Home = _home, Name = "composed", Mdns = false }, TextWriter.Null);
            var declared = typeof(MetricsEndpoint).Assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(AetherEdge.HostNode.Diagnostics.IMetricsSource).IsAssignableFrom(t))
                .OrderBy(t => t.FullName).ToList();
            var registered = host.Services.GetServices<AetherEdge.HostNode.Diagnostics.IMetricsSource>().ToList();

            Assert.NotEmpty(declared);
            Assert.Equal(declared, registered.Select(s => s.GetType()).OrderBy(t => t.FullName));
            Assert.All(registered, s => Assert.Same(host.Services.GetRequiredService(s.GetType()), s));
        }

        [Fact]
        public void Build_Disposed_ClosesTheStoreItOpened()
        {
            var host = HubHost.Build(new HubSettings { Home = _home, Name = "composed", Mdns = false }, TextWriter.Null);
            var shards = host.Services.GetRequiredService<ShardStore>();
            host.Dispose();
            Assert.ThrowsAny<InvalidOperationException>(() => shards.ListManifests());
        }

        [Fact]
        public void ContainerOptions_PartsThatNeedEachOther_RefusedWhenBuilt()
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IHostApplicationLifetime, StubLifetime>();
            HubHost.AddHub(services, new HubSettings { Home = _home, Name = "cyclic", Mdns = false }, TextWriter.Null);
            using (services.BuildServiceProvider(HubHost.ContainerOptions))
            {
                // The hub's own registrations validate.
            }

            // The store diverts into the diversion, which (here) needs the store: a cycle.
            services.AddSingleton<IShardDiversion, DiversionNeedingTheStore>();
            var e = Assert.Throws<AggregateException>(() => services.BuildServiceProvider(HubHost.ContainerOptions));
            Assert.Contains(e.InnerExceptions, x => x.Message.Contains("circular dependency", StringComparison.OrdinalIgnoreCase));
        }

        private sealed class DiversionNeedingTheStore : IShardDiversion
        {
            public DiversionNeedingTheStore(ShardStoreSyncStore store)
            {
                GC.KeepAlive(store);
            }

            public bool TryTake(string shardId, string path) => false;
        }

        private sealed class StubLifetime : IHostApplicationLifetime
        {
            public CancellationToken ApplicationStarted => CancellationToken.None;

            public CancellationToken ApplicationStopping => CancellationToken.None;

            public CancellationToken ApplicationStopped => CancellationToken.None;

            public void StopApplication()
            {
            }
        }
    }
}
