using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>A request as the dashboard sees it (the HTTP host fills it in; headers absent are null).</summary>
    public sealed record DashboardRequest(string Method, string Path, string? Host, string? Origin, string? ContentType, string? Secret, byte[] Body);

    /// <summary>A response: status, content type, body and extra headers.</summary>
    public sealed record DashboardResponse(int Status, string ContentType, byte[] Body, IReadOnlyDictionary<string, string> Headers);

    /// <summary>
    /// The dashboard's routes, independent of the HTTP server that carries them (README in this folder):
    /// <c>GET /</c> and its embedded assets, <c>GET /api/kit</c> (the snapshot), <c>POST /api/allocation</c>
    /// (the settings change). Every request must name this host by IP address or <c>localhost</c> (a page on
    /// another site cannot reach it by DNS rebinding); a change must also carry the secret in
    /// <see cref="SecretHeader"/>, come from this origin when the browser names one, and be JSON (so a
    /// cross-site form cannot send it, and a cross-site script needs a preflight nothing answers).
    /// </summary>
    public sealed class DashboardApi
    {
        public const string SecretHeader = "X-Aether-Secret";
        public const int MaxBodyBytes = 1024;
        public const string KitPath = "/api/kit";
        public const string AllocationPath = "/api/allocation";

        /// <summary>The kit's devices and the BLE nodes heard, without the files (what <c>aether peers</c> reads).</summary>
        public const string NodesPath = "/api/nodes";

        private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

        private static readonly Dictionary<string, (string Resource, string Type)> s_assets = new(StringComparer.Ordinal)
        {
            ["/"] = ("index.html", "text/html; charset=utf-8"),
            ["/index.html"] = ("index.html", "text/html; charset=utf-8"),
            ["/dashboard.js"] = ("dashboard.js", "text/javascript; charset=utf-8"),
            ["/dashboard.css"] = ("dashboard.css", "text/css; charset=utf-8"),
            ["/favicon.svg"] = ("favicon.svg", "image/svg+xml"),
        };

        private readonly KitView _view;
        private readonly AllocationSettings _settings;
        private readonly DashboardSecret _secret;

        public DashboardApi(KitView view, AllocationSettings settings, DashboardSecret secret)
        {
            _view = view;
            _settings = settings;
            _secret = secret;
        }

        /// <summary>The paths this API answers (the HTTP host maps each to <see cref="Handle"/>).</summary>
        public static IReadOnlyCollection<string> Paths => s_assets.Keys.Concat(new[] { KitPath, NodesPath, AllocationPath }).ToArray();

        /// <summary>Answers one request; never throws for bad input.</summary>
        public DashboardResponse Handle(DashboardRequest request)
        {
            if (!IsLocalName(request.Host))
            {
                return Text(421, "this dashboard answers only to an IP address or localhost in the Host header\n");
            }

            if (request.Path == AllocationPath)
            {
                return request.Method == "POST" ? ChangeAllocation(request) : Text(405, "use POST\n");
            }

            if (request.Method != "GET" && request.Method != "HEAD")
            {
                return Text(405, "use GET\n");
            }

            if (request.Path == NodesPath)
            {
                var nodes = JsonSerializer.SerializeToUtf8Bytes(_view.Nodes(), DashboardJsonContext.Default.KitNodes);
                return new DashboardResponse(200, "application/json; charset=utf-8", nodes, NoStore());
            }

            if (request.Path == KitPath)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(_view.Snapshot(), DashboardJsonContext.Default.KitSnapshot);
                return new DashboardResponse(200, "application/json; charset=utf-8", body, NoStore());
            }

            if (s_assets.TryGetValue(request.Path, out var asset))
            {
                var headers = NoStore();
                headers["Content-Security-Policy"] = Csp;
                headers["X-Frame-Options"] = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                return new DashboardResponse(200, asset.Type, Asset(asset.Resource), headers);
            }

            return Text(404, "not found; the dashboard is at /\n");
        }

        private DashboardResponse ChangeAllocation(DashboardRequest request)
        {
            if (!_secret.Matches(request.Secret))
            {
                return Refusal(403, "changing settings needs the secret in the URL that `aether dashboard` prints");
            }

            if (request.Origin != null && !SameOrigin(request.Origin, request.Host))
            {
                return Refusal(403, "refused: the request came from another site (" + Clip(request.Origin) + ")");
            }

            if (request.ContentType == null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return Refusal(415, "send the change as application/json");
            }

            if (request.Body.Length > MaxBodyBytes)
            {
                return Refusal(413, "a settings change is at most " + MaxBodyBytes + " bytes");
            }

            AllocationResult result;
            try
            {
                using var doc = JsonDocument.Parse(request.Body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("allocationBytes", out var b) && b.TryGetInt64(out long bytes))
                {
                    result = _settings.Apply(bytes);
                }
                else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("allocation", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    result = _settings.Apply(t.GetString()!);
                }
                else
                {
                    return Refusal(400, "send {\"allocation\": \"12 GB\"} or {\"allocationBytes\": 12000000000}");
                }
            }
            catch (JsonException)
            {
                return Refusal(400, "the body is not JSON");
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(result, DashboardJsonContext.Default.AllocationResult);
            return new DashboardResponse(result.Saved ? 200 : 422, "application/json; charset=utf-8", json, NoStore());
        }

        private static DashboardResponse Refusal(int status, string message)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new AllocationResult(false, 0, message), DashboardJsonContext.Default.AllocationResult);
            return new DashboardResponse(status, "application/json; charset=utf-8", json, NoStore());
        }

        /// <summary>Host header is an IP literal or localhost (with an optional port).</summary>
        public static bool IsLocalName(string? host)
        {
            if (string.IsNullOrEmpty(host))
            {
                return false;
            }

            string name = host;
            if (name.StartsWith('['))
            {
                int end = name.IndexOf(']', StringComparison.Ordinal);
                return end > 0 && IPAddress.TryParse(name.AsSpan(1, end - 1), out _);
            }

            int colon = name.LastIndexOf(':');
            if (colon >= 0)
            {
                name = name.Substring(0, colon);
            }

            return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(name, out _);
        }

        private static bool SameOrigin(string origin, string? host) =>
            host != null && (origin.Equals("http://" + host, StringComparison.OrdinalIgnoreCase) || origin.Equals("https://" + host, StringComparison.OrdinalIgnoreCase));

        private static Dictionary<string, string> NoStore() => new(StringComparer.OrdinalIgnoreCase)
        {
            ["Cache-Control"] = "no-store",
            ["X-Content-Type-Options"] = "nosniff",
        };

        private static DashboardResponse Text(int status, string text) =>
            new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text), NoStore());

        private static string Clip(string text) => text.Length > 80 ? text.Substring(0, 80) + "…" : text;

        private static byte[] Asset(string name)
        {
            using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard/" + name)
                ?? throw new InvalidOperationException("embedded asset dashboard/" + name + " is missing from the build");
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }
    }
}
