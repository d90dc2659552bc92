using AetherEdge.HostNode.Bluetooth;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Diagnostics;
using AetherEdge.HostNode.Discovery;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Http;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Push;
using AetherEdge.HostNode.Repair;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;
using AetherEdge.HostNode.WifiDirect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// Composes <c>aether hub</c> in the generic host's container: every part a singleton built by its
    /// constructor from the parts it needs, so the container builds them in dependency order, nothing
    /// is wired after construction, and <c>ValidateOnBuild</c> refuses a cycle or a missing part at start.
    /// Factories are used only where a constructor needs values from the settings (and then resolve
    /// nothing but leaves), to alias an interface to its one instance, and for <see cref="SyncNode"/>
    /// (it takes its Hello as a delegate). The type graph is in Hub/README.md.
    /// </summary>
    public static class HubHost
    {
        public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

        /// <summary>The container refuses cycles, missing parts and scoped parts in singletons when it is built.</summary>
        public static readonly ServiceProviderOptions ContainerOptions = new() { ValidateOnBuild = true, ValidateScopes = true };

        /// <summary>
        /// Runs the hub until <paramref name="cancellation"/> or SIGINT/SIGTERM; returns the exit code
        /// (0, or 1 when a service failed). <see cref="HomeException"/> when the home cannot be created.
        /// </summary>
        public static int Run(HubSettings settings, TextWriter output, TextWriter log, CancellationToken cancellation)
        {
            using var host = Build(settings, log);

            // Build every service now: a broken home fails here, before anything listens.
            host.Services.GetServices<IHostedService>();
            output.WriteLine("aether hub: device " + host.Services.GetRequiredService<LocalDevice>().Id + " (" + settings.Name + "), home " + settings.Home);
            output.Flush();
            try
            {
                // The HTTP port first: when it is taken the hub refuses to run before anything else listens.
                host.Services.GetRequiredService<HttpHost>().StartAsync(cancellation).GetAwaiter().GetResult();
                host.RunAsync(cancellation).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Told to stop while starting: what did start is stopped by the host; that is a clean exit.
            }
            catch (HttpPortTakenException e)
            {
                log.WriteLine("aether hub: " + e.Message);
                return 1;
            }

            return Environment.ExitCode == 0 ? 0 : 1;
        }

        /// <summary>The hub's host for <paramref name="settings"/> (initialising the home when it is new), not started.</summary>
        public static IHost Build(HubSettings settings, TextWriter log)
        {
            if (!NodeHome.IsInitialized(settings.Home))
            {
                NodeHome.Init(settings.Home, settings.Kind, settings.AllocationBytes, settings.Name, DateTimeOffset.UtcNow);
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = settings.Home });
            builder.ConfigureContainer(new DefaultServiceProviderFactory(ContainerOptions));
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Services.AddSystemd();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
            AddHub(builder.Services, settings, log);
            return builder.Build();
        }

        /// <summary>Registers the hub's parts and hosted services. <paramref name="log"/> takes the store's start-up reconciliation notes.</summary>
        public static void AddHub(IServiceCollection services, HubSettings settings, TextWriter log)
        {
            string home = settings.Home;

            // Leaves: made from the settings alone.
            services.AddSingleton(settings);
            services.AddSingleton(TimeProvider.System);
            // This hub's metrics registry (never the process-wide default: tests run several hubs in one process).
            services.AddSingleton(_ => Metrics.NewCustomRegistry());
            services.AddSingleton<IMetricFactory>(sp => Metrics.WithCustomRegistry(sp.GetRequiredService<CollectorRegistry>()));
            services.AddSingleton(sp => new SyncMetrics(sp.GetRequiredService<IMetricFactory>()));
            Alias<IMetricsSource, SyncMetrics>(services);
            services.AddSingleton(sp => new DiscoveryMetrics(sp.GetRequiredService<IMetricFactory>()));
            Alias<IMetricsSource, DiscoveryMetrics>(services);
            services.AddSingleton(_ => NodeIdentity.LoadOrCreate(home));
            services.AddSingleton(_ => new TrustCircle(home));
            services.AddSingleton(_ => ShardStore.Open(home, settings.AllocationBytes, false, log, reconcile: ShardStore.OpenReconcile.Quick));
            services.AddSingleton(_ => ShardStoreSyncStore.PartialsOf(home));
            services.AddSingleton(_ => RepairInputs.Of(home));
            services.AddSingleton<PeerDirectory>();
            services.AddSingleton<HubScheduler>();
            Alias<IMetricsSource, HubScheduler>(services);
            services.AddSingleton<SyncTrigger>();
            services.AddSingleton<MeshLinks>();

            // Settings values plus leaves.
            services.AddSingleton(sp => new LocalDevice(sp.GetRequiredService<NodeIdentity>().DeviceId, settings.Name, settings.Kind, settings.AllocationBytes));
            services.AddSingleton(sp => new PeerKnowledge(sp.GetRequiredService<TrustCircle>().Contains, TimeSpan.FromSeconds(settings.OnlineWindowSeconds), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => TlsPeerPolicy.ForCircle(sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<TrustCircle>()));
            services.AddSingleton(sp => new DiscoveryGate(sp.GetRequiredService<NodeIdentity>().DeviceId, sp.GetRequiredService<TrustCircle>().Contains, settings.Port, settings.HttpPort, sp.GetRequiredService<IMetricFactory>()));

            // Constructor injection.
            services.AddSingleton<ShardStoreSyncStore>();
            services.AddSingleton<PlacementOracle>();
            services.AddSingleton<MisplacedShards>();
            services.AddSingleton<ShardRepairs>();
            Alias<IMetricsSource, ShardRepairs>(services);
            services.AddSingleton<PullPolicy>();
            services.AddSingleton<HubSyncHosts>();
            services.AddSingleton<LocalStatus>();
            Alias<IMetricsSource, LocalStatus>(services);
            Alias<IShardDiversion, RepairInputs>(services);
            Alias<INodeStore, ShardStoreSyncStore>(services);
            Alias<IPullPolicy, PullPolicy>(services);
            services.AddSingleton(SyncSessionOptions.FromIdleSeconds(settings.SessionIdleSeconds));
            services.AddSingleton(sp => new SyncNode(
                sp.GetRequiredService<NodeIdentity>(),
                sp.GetRequiredService<TlsPeerPolicy>(),
                sp.GetRequiredService<ShardStoreSyncStore>(),
                sp.GetRequiredService<HubSyncHosts>(),
                sp.GetRequiredService<LocalStatus>().Hello,
                metrics: sp.GetRequiredService<SyncMetrics>(),
                sessions: sp.GetRequiredService<SyncSessionOptions>()));

            // Dials for sync rounds: concurrent per device, bounded, counted (PeerDialer).
            services.AddSingleton<PeerDialer>();

            // The mesh: links to peer hubs, tunnels through relays, knowledge and membership on the router
            // (Mesh/README.md); handlers by payload kind.
            services.AddSingleton<MeshReachability>();
            services.AddSingleton<MeshConnections>();
            services.AddSingleton(sp => new MeshTunnels(
                sp.GetRequiredService<MeshConnections>(),
                sp.GetRequiredService<MeshReachability>(),
                sp.GetRequiredService<SyncNode>(),
                sp.GetRequiredService<TrustCircle>().Contains,
                new MeshTunnelOptions { RelayBytes = settings.RelayBufferBytes, HopLimit = settings.MeshHopLimit, ReachableFor = TimeSpan.FromSeconds(settings.OnlineWindowSeconds) },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MeshTunnels>>()));
            Alias<IFarPeers, MeshTunnels>(services);
            services.AddSingleton(sp => new MembershipLog(home, sp.GetRequiredService<TrustCircle>(), sp.GetRequiredService<NodeIdentity>()));
            services.AddSingleton(sp => new MeshFrameKeys(sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<TrustCircle>().Contains));
            services.AddSingleton(sp => new MeshShardSender(sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<MeshFrameKeys>(),
                new MeshShardSenderOptions { CacheBytes = settings.RelayBufferBytes }, sp.GetRequiredService<TimeProvider>()));
            Alias<IMeshSender, MeshShardSender>(services);
            Alias<ISealedPayloadHandler, MeshShardSender>(services);
            Alias<IMeshShardReceipts, MeshShardSender>(services);
            services.AddSingleton<MeshShards>();
            Alias<ISealedPayloadHandler, MeshShards>(services);
            Alias<IMeshShardSink, MeshShards>(services);
            services.AddSingleton<MeshShardPieces>();
            Alias<ISealedPayloadHandler, MeshShardPieces>(services);
            Alias<IMeshShardWants, MeshShards>(services);
            services.AddSingleton<MeshShardOffers>();
            Alias<ISealedPayloadHandler, MeshShardOffers>(services);
            services.AddSingleton<MeshShardOfferAnswers>();
            Alias<ISealedPayloadHandler, MeshShardOfferAnswers>(services);
            services.AddSingleton<MeshSealed>();
            Alias<IMeshPayloadHandler, MeshSealed>(services);
            services.AddSingleton<MeshKnowledge>();
            services.AddSingleton<MeshMembership>();
            Alias<IMeshPayloadHandler, MeshKnowledge>(services);
            Alias<IMeshPayloadHandler, MeshMembership>(services);
            services.AddSingleton(sp => new MeshPacketIds(home));
            services.AddSingleton(sp => new MeshNode(
                new MeshNodeOptions(MeshAddress.Of(sp.GetRequiredService<NodeIdentity>().DeviceId))
                {
                    HopLimit = settings.MeshHopLimit,
                    FirstPacketId = sp.GetRequiredService<MeshPacketIds>().First,
                },
                CryptoRandom.Instance,
                sp.GetServices<IMeshPayloadHandler>(),
                sp.GetServices<IMeshSender>()));
            services.AddSingleton<MeshRouterService>();
            services.AddHostedService(sp => sp.GetRequiredService<MeshRouterService>());
            services.AddSingleton<MeshMetrics>();
            Alias<IMetricsSource, MeshMetrics>(services);
            services.AddSingleton<MeshShardPush>();
            services.AddHostedService(sp => sp.GetRequiredService<MeshShardPush>());
            services.AddSingleton<MeshShardMetrics>();
            Alias<IMetricsSource, MeshShardMetrics>(services);
            services.AddSingleton<MeshLinkService>();
            services.AddHostedService(sp => sp.GetRequiredService<MeshLinkService>());

            // The HTTP host serves every IHttpEndpoints registered here (Http/README.md).
            services.AddSingleton(new HttpHostOptions(settings.HttpBind, settings.HttpPort));
            services.AddSingleton<HttpHost>();
            services.AddHostedService(sp => sp.GetRequiredService<HttpHost>());
            services.AddSingleton<StageMetrics>();
            Alias<IMetricsSource, StageMetrics>(services);
            services.AddSingleton<MetricsEndpoint>();
            Alias<IHttpEndpoints, MetricsEndpoint>(services);

            // The dashboard: kit snapshot, settings change, routes (Dashboard/README.md).
            services.AddSingleton(_ => new DashboardOptions(home, TimeSpan.FromSeconds(settings.OnlineWindowSeconds)));
            services.AddSingleton(_ => DashboardSecret.LoadOrCreate(home));
            services.AddSingleton<DashboardActivity>();
            Alias<IHubActivity, DashboardActivity>(services);
            services.AddSingleton<FileNames>();
            services.AddSingleton<KitView>();
            services.AddSingleton<AllocationSettings>();
            services.AddSingleton<DashboardApi>();
            services.AddSingleton<DashboardEndpoints>();
            Alias<IHttpEndpoints, DashboardEndpoints>(services);

            // Puts handed over by `aether put` on this home, streamed to their holders (issue 13; Push/README.md).
            services.AddSingleton(new PushOrphanOptions(TimeSpan.FromSeconds(settings.PushOrphanGraceSeconds)));
            services.AddSingleton<IShardFormat, ShardFormat>();
            services.AddSingleton<PushedLedger>();
            services.AddSingleton<PushOrphanSweeper>();
            Alias<IMetricsSource, PushOrphanSweeper>(services);
            services.AddHostedService(sp => sp.GetRequiredService<PushOrphanSweeper>());
            services.AddSingleton<PushReceiver>();
            Alias<IMetricsSource, PushReceiver>(services);
            services.AddHostedService(sp => sp.GetRequiredService<PushReceiver>());
            services.AddSingleton<HubPuts>();
            Alias<IMetricsSource, HubPuts>(services);
            services.AddSingleton<HubPutEndpoint>();
            Alias<IHttpEndpoints, HubPutEndpoint>(services);

            // BLE: beacons, phones and hubs over BlueZ as mesh links (Bluetooth/README.md).
            services.AddSingleton(sp => new BleOptions(settings.BluetoothAdapter, settings.BluetoothBus,
                MeshAddress.Of(sp.GetRequiredService<NodeIdentity>().DeviceId), settings.Kind, settings.AllocationBytes, "aether " + settings.Name));
            services.AddSingleton<BleMeshService>();
            services.AddHostedService(sp => sp.GetRequiredService<BleMeshService>());
            services.AddSingleton<BleMetrics>();
            Alias<IMetricsSource, BleMetrics>(services);

            // Wi-Fi Direct through wpa_supplicant: kit devices with no shared network (WifiDirect/README.md).
            services.AddSingleton(sp => new WifiDirectOptions(settings.WifiDirect, sp.GetRequiredService<NodeIdentity>().DeviceId.Text, settings.Name, settings.Kind.ToString().ToLowerInvariant(), settings.AllocationBytes));
            services.AddSingleton<P2pCounters>();
            services.AddSingleton(sp => new WifiDirectService(
                sp.GetRequiredService<WifiDirectOptions>(), sp.GetRequiredService<SyncNode>(), sp.GetRequiredService<TrustCircle>(), sp.GetRequiredService<PeerDirectory>(),
                sp.GetRequiredService<LocalStatus>().Profile, sp.GetRequiredService<P2pCounters>(), sp.GetRequiredService<ILogger<WifiDirectService>>()));
            services.AddHostedService(sp => sp.GetRequiredService<WifiDirectService>());
            services.AddSingleton<WifiDirectMetrics>();
            Alias<IMetricsSource, WifiDirectMetrics>(services);
            services.AddSingleton<WifiDirectPeers>();
            Alias<IHttpEndpoints, WifiDirectPeers>(services);

            services.AddHostedService<SyncHostedService>();
            services.AddHostedService<StoreChangeWatcher>();
            services.AddHostedService<StoreWalkService>();
            services.AddHostedService<RunFileService>();
            if (settings.Mdns)
            {
                services.AddHostedService<HubDiscoveryService>();
            }
        }

        // The interface resolves to the one instance registered for the implementation.
        private static void Alias<TService, TImplementation>(IServiceCollection services)
            where TService : class
            where TImplementation : class, TService =>
            services.AddSingleton<TService>(sp => sp.GetRequiredService<TImplementation>());
    }
}
