using System.CommandLine;
using System.Net;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Hub;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// <c>aether dashboard</c>: prints the address of this home's hub dashboard with the settings secret in
    /// the fragment (creating the secret when the hub has not yet), and says whether a hub answers there.
    /// </summary>
    public sealed class DashboardVerb : Command
    {
        private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(2);
        private readonly SharedOptions _shared;

        public DashboardVerb(SharedOptions shared, CliContext context)
            : base("dashboard", "print the address of the hub's dashboard (kit, files, storage settings)\n" +
                "The part after # is the secret that lets the page change settings: keep it to yourself.\n" +
                "The page is served by `aether hub` on its HTTP port (hub.json httpPort, default 43217),\n" +
                "on 127.0.0.1 unless hub.json httpBind says otherwise.")
        {
            _shared = shared;
            Add(shared.Home);
            Add(shared.Json);
            SetAction(parse => Run(parse, context));
        }

        private int Run(ParseResult parse, CliContext context)
        {
            var home = StoreVerbSupport.OpenHome(_shared, parse, writes: false);
            HubSettings settings;
            try
            {
                settings = HubSettings.Load(home.Path);
            }
            catch (IOException e)
            {
                throw new UsageException(e.Message);
            }

            if (settings.HttpPort == 0)
            {
                throw new UsageException(Path.Combine(home.Path, HubSettings.HubFileName) + " sets httpPort 0 (any free port): set a port to open the dashboard");
            }

            var secret = DashboardSecret.LoadOrCreate(home.Path);
            var address = settings.HttpBind.Equals(IPAddress.Any) || settings.HttpBind.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : settings.HttpBind;
            var page = new UriBuilder("http", address.ToString(), settings.HttpPort, "/").Uri;
            string url = page + "#k=" + secret.Text;
            bool answering = Answers(page);
            if (parse.GetValue(_shared.Json))
            {
                context.Out.WriteLine("{\"url\":" + System.Text.Json.JsonSerializer.Serialize(url) + ",\"hubAnswering\":" + (answering ? "true" : "false") + "}");
                return CliHost.ExitOk;
            }

            context.Out.WriteLine(url);
            context.Out.WriteLine(answering
                ? "Open it in a browser on this device; the part after # lets the page change settings (keep it private)."
                : "No hub answers there yet: start it with `aether hub --home " + home.Path + "`, then open the address.");
            return CliHost.ExitOk;
        }

        private static bool Answers(Uri page)
        {
            try
            {
                using var http = new HttpClient { Timeout = s_probeTimeout };
                using var r = http.GetAsync(new Uri(page, DashboardApi.KitPath)).GetAwaiter().GetResult();
                return r.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }
    }
}
