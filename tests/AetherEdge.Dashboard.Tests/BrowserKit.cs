using Microsoft.Playwright;

namespace AetherEdge.Dashboard.Tests
{
    /// <summary>Debian's Chromium driven by Playwright (its own browser download is not reachable here).</summary>
    internal static class BrowserKit
    {
        public const string ChromiumPath = "/usr/bin/chromium";

        public const string MissingReason = "chromium is not installed at " + ChromiumPath + " (apt-get install chromium; .ci/run installs it)";

        public static bool Available => File.Exists(ChromiumPath);

        public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
        {
            var pw = await Playwright.CreateAsync();
            // Tests run as root, where Chromium's sandbox refuses to start.
            var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = new[] { "--no-sandbox" } });
            return (pw, browser);
        }

        /// <summary>The repository's root (where AetherEdge.sln is), for docs/dashboard.png.</summary>
        public static string RepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AetherEdge.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AetherEdge.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
