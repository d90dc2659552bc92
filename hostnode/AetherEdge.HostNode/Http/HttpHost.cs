using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AetherEdge.HostNode.Http
{
    /// <summary>Where the hub's HTTP host listens. Port 0: any free port (tests).</summary>
    public sealed record HttpHostOptions(IPAddress Bind, int Port)
    {
        /// <summary>Connections open at once; more wait in the kernel's backlog (an outsider cannot grow our memory).</summary>
        public int MaxConnections { get; init; } = 64;

        /// <summary>Largest request body accepted (forms and small JSON only).</summary>
        public long MaxRequestBodyBytes { get; init; } = 64 * 1024;
    }

    /// <summary>
    /// The hub's HTTP server: Kestrel in a minimal web application of its own, started and stopped with
    /// the hub, serving the routes every <see cref="IHttpEndpoints"/> in the hub's container maps. Bound
    /// to 127.0.0.1 unless told otherwise; a port that cannot be had fails the start with
    /// <see cref="HttpPortTakenException"/> (the hub refuses to run rather than run without it).
    /// </summary>
    public sealed class HttpHost : IHostedService, IAsyncDisposable
    {
        private readonly HttpHostOptions _options;
        private readonly IEnumerable<IHttpEndpoints> _endpoints;
        private readonly ILoggerFactory _logs;
        private readonly ILogger<HttpHost> _log;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private WebApplication? _app;

        public HttpHost(HttpHostOptions options, IEnumerable<IHttpEndpoints> endpoints, ILoggerFactory logs)
        {
            _options = options;
            _endpoints = endpoints;
            _logs = logs;
            _log = logs.CreateLogger<HttpHost>();
        }

        /// <summary>The address served, e.g. <c>http://127.0.0.1:43217/</c>; null before the start.</summary>
        public Uri? BaseAddress { get; private set; }

        /// <summary>The bound port (the chosen one when configured as 0); 0 before the start.</summary>
        public int BoundPort => BaseAddress?.Port ?? 0;

        /// <summary>Starts listening; a second call does nothing (the hub binds first, then the host starts its services).</summary>
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_app != null)
                {
                    return;
                }

                var app = Build();
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (IOException e)
                {
                    await app.DisposeAsync();
                    throw new HttpPortTakenException(
                        "cannot serve HTTP on " + Endpoint() + ": " + (e.InnerException?.Message ?? e.Message) +
                        " (choose another with --http-port/--http-bind or hub.json's httpPort/httpBind)", e);
                }

                _app = app;
                string first = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                BaseAddress = new Uri(first.EndsWith('/') ? first : first + "/");
                _log.LogInformation("http at {Address} (metrics at {Address}metrics)", BaseAddress, BaseAddress);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_app is { } app)
            {
                await app.StopAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is { } app)
            {
                _app = null;
                await app.DisposeAsync();
            }

            _gate.Dispose();
        }

        private string Endpoint() => new IPEndPoint(_options.Bind, _options.Port).ToString();

        private WebApplication Build()
        {
            // The empty builder reads no environment variables or appsettings: only what the hub says applies.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "aether" });
            builder.Logging.AddProvider(new HubLogs(_logs));
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

            // A failed start is reported once, by the hub, as one line (not as this inner host's stack trace).
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);

            // The hub's own host already says it started and stopped; this inner one would say it again (and name
            // the working directory as its content root), so its lifetime lines are left out.
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
            builder.Services.AddRouting();
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Limits.MaxConcurrentConnections = _options.MaxConnections;
                k.Limits.MaxConcurrentUpgradedConnections = _options.MaxConnections;
                k.Limits.MaxRequestBodySize = _options.MaxRequestBodyBytes;
                k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
                k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
                k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
                k.Listen(_options.Bind, _options.Port);
            });
            var app = builder.Build();
            app.UseRouting();
            foreach (var endpoints in _endpoints)
            {
                endpoints.Map(app);
            }

            return app;
        }

        // Kestrel's own log lines go to the hub's log, not a second console.
        private sealed class HubLogs : ILoggerProvider
        {
            private readonly ILoggerFactory _hub;

            public HubLogs(ILoggerFactory hub)
            {
                _hub = hub;
            }

            public ILogger CreateLogger(string categoryName) => _hub.CreateLogger(categoryName);

            public void Dispose()
            {
            }
        }
    }
}
