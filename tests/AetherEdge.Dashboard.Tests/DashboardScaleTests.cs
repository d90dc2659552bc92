using System.Diagnostics;
using System.Globalization;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Http;
using AetherEdge.TestSupport.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AetherEdge.Dashboard.Tests
{
    /// <summary>
    /// The page with 1,000 files and 50 devices: it shows them all and stays live. The load and update
    /// times are measured and printed (a figure, not an assertion: timing depends on the machine).
    /// Files are 4 of 8 here (not the default 6 of 15) only to keep the setup's shard moves short in CI.
    /// </summary>
    public sealed class DashboardScaleTests
    {
        public const int Files = 1000;
        public const int Devices = 50;

        private readonly ITestOutputHelper _out;

        public DashboardScaleTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [SkippableFact]
        public async Task Page_ThousandFilesFiftyDevices_ShowsAllAndUpdatesLive_TimesReported()
        {
            Skip.IfNot(BrowserKit.Available, BrowserKit.MissingReason);
            var setup = Stopwatch.StartNew();
            using var kit = new SimulatedKit("scale-hub");
            var kinds = new[] { DeviceKind.Desktop, DeviceKind.Laptop, DeviceKind.Mobile, DeviceKind.Hub };
            for (int i = 1; i < Devices; i++)
            {
                var kind = kinds[i % kinds.Length];
                kit.AddPeer("device-" + i.ToString("00", CultureInfo.InvariantCulture), kind, 20_000_000_000L * (1 + (i % 5)), 30 + i, pluggedIn: i % 3 != 0, hasBattery: kind is DeviceKind.Mobile or DeviceKind.Laptop);
            }

            Report("setup: 50 devices", setup.Elapsed.TotalMilliseconds);
            kit.PutFiles(Enumerable.Range(0, Files).Select(i => "survey/site-" + (i / 50).ToString("00", CultureInfo.InvariantCulture) + "/photo-" + i.ToString("0000", CultureInfo.InvariantCulture) + ".jpg").ToList(), 1024, dataShards: 4, parityShards: 4);
            Report("setup: 1,000 real puts", setup.Elapsed.TotalMilliseconds);
            kit.PlaceAsPlanned();
            kit.Start();
            Report("setup: shards placed as planned over 50 devices", setup.Elapsed.TotalMilliseconds);

            // The hub's side: one snapshot build (plans 1,000 files over 50 devices).
            var view = kit.Get<KitView>();
            var builds = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                view.Invalidate();
                var sw = Stopwatch.StartNew();
                var snapshot = view.Snapshot();
                builds.Add(sw.Elapsed.TotalMilliseconds);
                Assert.Equal(Files, snapshot.Files.Length);
            }

            Report("snapshot build on the hub (median of 3)", builds.OrderBy(b => b).ElementAt(1));

            // The terminal's renderer of the same snapshot (aether status --mesh): every device and file listed.
            var text = new StringWriter();
            var render = Stopwatch.StartNew();
            KitText.WriteDevices(text, view.Snapshot());
            KitText.WriteFiles(text, view.Snapshot());
            Report("aether status --mesh text render", render.Elapsed.TotalMilliseconds);
            var lines = text.ToString().Split('\n');
            Assert.Equal(Files, lines.Count(l => l.Contains("survey/site-", StringComparison.Ordinal)));
            Assert.Equal(Devices - 1, lines.Count(l => l.StartsWith("  device-", StringComparison.Ordinal)));

            var (pw, browser) = await BrowserKit.LaunchAsync();
            using (pw)
            await using (browser)
            {
                var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
                var load = Stopwatch.StartNew();
                await page.GotoAsync(kit.Get<HttpHost>().BaseAddress + "#k=" + kit.Get<DashboardSecret>().Text);
                await Expect(page.Locator("#files tbody tr")).ToHaveCountAsync(Files, new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 });
                await Expect(page.Locator("[data-device]")).ToHaveCountAsync(Devices);
                Report("page load to 1,000 rows and 50 cards shown (test clock)", load.Elapsed.TotalMilliseconds);
                Report("page load to first full render (browser clock, from navigation start)", await page.EvaluateAsync<double>("window.aetherDashboard.loadMs"));
                Report("render of one snapshot in the page", await page.EvaluateAsync<double>("window.aetherDashboard.lastRenderMs"));

                // A poll with changed data: fetch + parse + render, timed in the page.
                double poll = await page.EvaluateAsync<double>(
                    "(async () => { const t = performance.now(); const r = await fetch('/api/kit'); await r.json(); return performance.now() - t; })()");
                Report("one poll's fetch + JSON parse in the page", poll);

                // A change on the kit reaches the screen without a reload (waits include the 2 s poll period).
                var change = Stopwatch.StartNew();
                kit.AddPeer("device-late", DeviceKind.Laptop, 10_000_000_000, 77, true, true);
                await Expect(page.Locator("[data-device]")).ToHaveCountAsync(Devices + 1, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
                Report("a new device on screen after it was heard (includes the 2 s poll period)", change.Elapsed.TotalMilliseconds);

                var save = Stopwatch.StartNew();
                await page.FillAsync("#alloc-input", "4 GB");
                await page.ClickAsync("#alloc-save");
                await Expect(page.Locator("#s-allocated")).ToContainTextAsync("Allocated: 4 GB", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
                Report("allocation change saved and shown (POST, snapshot rebuild, render)", save.Elapsed.TotalMilliseconds);

                var filter = Stopwatch.StartNew();
                await page.FillAsync("#files-filter", "site-07/");
                await Expect(page.Locator("#files tbody tr")).ToHaveCountAsync(50);
                Report("filter 1,000 files to 50", filter.Elapsed.TotalMilliseconds);
                int bytes = (await (await page.APIRequest.GetAsync(kit.Get<HttpHost>().BaseAddress + "api/kit")).BodyAsync()).Length;
                Report("/api/kit size in KB", bytes / 1000.0);
            }
        }

        private void Report(string what, double value)
        {
            string line = "dashboard scale (" + Files + " files, " + Devices + " devices): " + what + ": " + value.ToString("0", CultureInfo.InvariantCulture);
            _out.WriteLine(line + (what.EndsWith("KB", StringComparison.Ordinal) ? string.Empty : " ms"));
        }
    }
}
