using System.Net;
using System.Net.Sockets;
using AetherEdge.HostNode.Http;
using AetherEdge.HostNode.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>The hub's HTTP host on Kestrel: /metrics, routes from every IHttpEndpoints, the bind address, a taken port.</summary>
    public sealed class HttpHostTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aether-http-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        private static int FreePort() => LoopbackKit.FreePort();

        private sealed class HelloEndpoints : IHttpEndpoints
        {
            public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/hello", () => Results.Text("hello from a feature"));
        }

        [Fact]
        public async Task Hub_ServesMetricsAndEveryFeaturesRoutes_UnknownPathIs404()
        {
            var settings = new HubSettings { Home = Path.Combine(_root, "a"), Name = "http", HttpPort = 0, Port = FreePort(), Interface = IPAddress.Loopback, Mdns = false };
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            HubHost.AddHub(builder.Services, settings, TextWriter.Null);
            builder.Services.AddSingleton<IHttpEndpoints, HelloEndpoints>();
            AetherEdge.HostNode.Home.NodeHome.Init(settings.Home, settings.Kind, settings.AllocationBytes, settings.Name, DateTimeOffset.UtcNow);
            using var host = builder.Build();
            await host.StartAsync();
            try
            {
                var http = host.Services.GetRequiredService<HttpHost>();
                Assert.Equal(IPAddress.Loopback.ToString(), http.BaseAddress!.Host);
                using var client = new HttpClient { BaseAddress = http.BaseAddress };
                var metrics = await client.GetAsync("metrics");
                Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
                Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.ToString());
                Assert.Contains("# TYPE mesh_sync_attempts_total counter", await metrics.Content.ReadAsStringAsync());
                Assert.Equal("hello from a feature", await client.GetStringAsync("hello"));
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("nowhere")).StatusCode);
            }
            finally
            {
                await host.StopAsync();
            }
        }

        [Fact]
        public void Hub_HttpPortTaken_RefusesToStartWithOneLineExit1()
        {
            var taken = new TcpListener(IPAddress.Loopback, 0);
            taken.Start();
            try
            {
                int port = ((IPEndPoint)taken.LocalEndpoint).Port;
                var (code, _, err) = CliRunner.Run("hub", "--home", Path.Combine(_root, "t"), "--port", FreePort().ToString(), "--http-port", port.ToString(), "--interface", "127.0.0.1", "--no-mdns");
                Assert.Equal(1, code);
                Assert.Contains("cannot serve HTTP on 127.0.0.1:" + port, err);
                Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.DoesNotContain(" at ", err);
            }
            finally
            {
                taken.Stop();
            }
        }

        [Fact]
        public async Task Hub_HttpBindOption_ListensThereNotOnTheDefault()
        {
            int http = FreePort();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = Task.Run(() => AetherEdge.HostNode.Verbs.AetherCommand.Run(
                new[] { "hub", "--home", Path.Combine(_root, "b"), "--port", FreePort().ToString(), "--http-port", http.ToString(), "--http-bind", "127.0.0.2", "--interface", "127.0.0.1", "--no-mdns" },
                new AetherEdge.HostNode.Cli.CliContext(TextWriter.Null, TextWriter.Null, stop.Token)));
            try
            {
                using var client = new HttpClient();
                string? text = null;
                for (int i = 0; i < 300 && text == null && !run.IsCompleted; i++)
                {
                    try
                    {
                        text = await client.GetStringAsync("http://127.0.0.2:" + http + "/metrics");
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100);
                    }
                }

                Assert.NotNull(text);
                Assert.Contains("device_storage_allocated_bytes", text);
                await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://127.0.0.1:" + http + "/metrics"));
            }
            finally
            {
                stop.Cancel();
                Assert.Equal(0, await run);
            }
        }

        [Fact]
        public void HubJson_HttpBind_ReadAndABadOneNamed()
        {
            string home = Path.Combine(_root, "j");
            Directory.CreateDirectory(home);
            File.WriteAllText(Path.Combine(home, HubSettings.HubFileName), "{\"httpBind\":\"0.0.0.0\"}");
            Assert.Equal(IPAddress.Any, HubSettings.Load(home).HttpBind);
            File.WriteAllText(Path.Combine(home, HubSettings.HubFileName), "{\"httpBind\":\"everywhere\"}");
            Assert.Contains("httpBind is not an IP address", Assert.Throws<IOException>(() => HubSettings.Load(home)).Message);
            Assert.Equal(IPAddress.Loopback, new HubSettings().HttpBind);
        }
    }
}
