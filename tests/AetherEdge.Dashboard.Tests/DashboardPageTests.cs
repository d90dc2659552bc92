using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Http;
using AetherEdge.HostNode.Mesh;
using AetherEdge.TestSupport.Dashboard;
using AetherEdge.TestSupport.Mesh;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AetherEdge.Dashboard.Tests
{
    /// <summary>
    /// The dashboard page in headless Chromium on a started hub (real store, plan, HTTP host) whose peers
    /// are simulated: what the page shows, the allocation change and its refusal, the screenshot for the README.
    /// </summary>
    public sealed class DashboardPageTests
    {
        private const int PhoneWidth = 390;

        [SkippableFact]
        public async Task Page_HubWithPeersAndFiles_ShowsTheKitAndChangesTheAllocation()
        {
            Skip.IfNot(BrowserKit.Available, BrowserKit.MissingReason);
            using var kit = new SimulatedKit("field-hub");
            var anna = kit.AddPeer("desk-anna", DeviceKind.Desktop, 200_000_000_000);
            var ben = kit.AddPeer("phone-ben", DeviceKind.Mobile, 5_000_000_000, batteryPercent: 64, pluggedIn: false, hasBattery: true);
            var tent = kit.AddPeer("hub-tent", DeviceKind.Hub, 500_000_000_000);
            // Simulated radio paths (no BLE adapter or second hop here): ben over a BLE link, the tent also two hops through anna.
            kit.Get<MeshLinks>().Attach(new SimulatedMeshLink(MeshAddress.Of(ben), 180, (_, _) => { }, MeshLinkKind.Ble));
            kit.Get<MeshReachability>().Update(new MeshRoute(anna, MeshAddress.Of(anna), MeshAddress.Of(anna), 1, DateTimeOffset.UtcNow, 1, Array.Empty<uint>()));
            kit.Get<MeshReachability>().Update(new MeshRoute(tent, MeshAddress.Of(tent), MeshAddress.Of(anna), 2, DateTimeOffset.UtcNow, 1, Array.Empty<uint>()));
            var ids = kit.PutFiles(new[] { "photos/river-crossing.jpg", "maps/north-ridge.gpx", "notes/field log 2026-12-05.txt" }, 40_000);
            string risky = kit.PutFiles(new[] { "radio/frequencies.csv" }, 3_000, dataShards: 3, parityShards: 2)[0];
            kit.PlaceAsPlanned();
            kit.LeaveOnlyK(risky);
            kit.Start();

            var (pw, browser) = await BrowserKit.LaunchAsync();
            using (pw)
            await using (browser)
            {
                var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = PhoneWidth, Height = 844 } });
                string url = kit.Get<HttpHost>().BaseAddress + "#k=" + kit.Get<DashboardSecret>().Text;
                await page.GotoAsync(url);

                // The kit: every device, with what it told us.
                await Expect(page.Locator("[data-device]")).ToHaveCountAsync(4);
                await Expect(page.Locator("#summary")).ToContainTextAsync("4 of 4 devices online");
                var self = page.Locator("[data-device]").First;
                await Expect(self).ToContainTextAsync("field-hub (this hub)");
                await Expect(self).ToContainTextAsync("Last skip");
                var benCard = page.Locator("[data-device='" + ben.Text + "']");
                await Expect(benCard).ToContainTextAsync("64 %");
                await Expect(benCard).ToContainTextAsync("on battery");
                await Expect(benCard).ToContainTextAsync("mobile");
                await Expect(benCard).ToContainTextAsync("ble link");
                var annaCard = page.Locator("[data-device='" + anna.Text + "']");
                await Expect(annaCard).ToContainTextAsync("no battery");
                await Expect(annaCard).Not.ToContainTextAsync("100 %");
                await Expect(annaCard).ToContainTextAsync("lan 192.0.2.1:43216 (mdns)");
                await Expect(annaCard.Locator("dt:text-is('Last sync') + dd")).Not.ToHaveTextAsync("never");
                await Expect(page.Locator("[data-device='" + tent.Text + "']")).ToContainTextAsync("via mesh, 2 hops through desk-anna");

                // Files: names, protection, the one at risk marked.
                await Expect(page.Locator("#files tbody tr")).ToHaveCountAsync(4);
                var river = page.Locator("#files tbody tr", new PageLocatorOptions { HasText = "photos/river-crossing.jpg" });
                await Expect(river).ToContainTextAsync("survives the loss of");
                await Expect(river).ToContainTextAsync("15/15 shards placed as planned");
                var radio = page.Locator("tr[data-file='" + risky + "']");
                await Expect(radio).ToHaveAttributeAsync("data-state", "at risk");
                await Expect(radio).ToContainTextAsync("AT RISK");
                await Expect(page.Locator("#files-summary")).ToContainTextAsync("1 at risk");
                Assert.Equal(3, ids.Count);

                // The secret left the address bar; the page fits a phone's width.
                Assert.DoesNotContain("#k=", page.Url);
                Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "page wider than a phone");

                // Out of range: refused with the range, nothing saved.
                long before = NodeHome.Open(kit.Home).AllocationBytes;
                await page.FillAsync("#alloc-input", "10 MB");
                await page.ClickAsync("#alloc-save");
                await Expect(page.Locator("#alloc-msg")).ToContainTextAsync("10 MB is out of range: a hub on this disk takes 1 GB to");
                await Expect(page.Locator("#alloc-msg")).ToHaveClassAsync("error");
                Assert.Equal(before, NodeHome.Open(kit.Home).AllocationBytes);

                // In range: saved to the home's config and in effect; the page follows.
                await page.FillAsync("#alloc-input", "3 GB");
                await page.ClickAsync("#alloc-save");
                await Expect(page.Locator("#alloc-msg")).ToContainTextAsync("Saved: 3 GB");
                Assert.Equal(3_000_000_000, NodeHome.Open(kit.Home).AllocationBytes);
                await Expect(page.Locator("#s-allocated")).ToContainTextAsync("Allocated: 3 GB");
                await Expect(self).ToContainTextAsync("of 3 GB");

                // Live: a device that appears shows up without a reload.
                kit.AddPeer("laptop-cleo", DeviceKind.Laptop, 20_000_000_000, batteryPercent: 91, pluggedIn: true, hasBattery: true);
                await Expect(page.Locator("[data-device]")).ToHaveCountAsync(5);

                // For the README: the page at a laptop's width. Always into artifacts/; into docs/ (committed) when it
                // is missing or AETHER_UPDATE_SCREENSHOT=1, so a test run does not dirty a clean checkout.
                string root = BrowserKit.RepoRoot();
                string shot = Path.Combine(root, "docs", "dashboard.png");
                bool update = !File.Exists(shot) || Environment.GetEnvironmentVariable("AETHER_UPDATE_SCREENSHOT") == "1";
                string target = update ? shot : Path.Combine(root, "artifacts", "dashboard.png");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await page.SetViewportSizeAsync(1100, 900);
                await page.FillAsync("#alloc-input", "");
                await page.EvaluateAsync("document.getElementById('alloc-msg').textContent = ''");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = target, FullPage = true });
                Assert.True(new FileInfo(target).Length > 10_000, "screenshot " + target + " is empty");
            }
        }

        [SkippableFact]
        public async Task Page_WithoutTheSecret_ShowsTheKitButCannotChangeSettings()
        {
            Skip.IfNot(BrowserKit.Available, BrowserKit.MissingReason);
            using var kit = new SimulatedKit("view-hub", start: true);
            var (pw, browser) = await BrowserKit.LaunchAsync();
            using (pw)
            await using (browser)
            {
                var page = await browser.NewPageAsync();
                await page.GotoAsync(kit.Get<HttpHost>().BaseAddress!.ToString());
                await Expect(page.Locator("[data-device]")).ToHaveCountAsync(1);
                await Expect(page.Locator("#no-secret")).ToBeVisibleAsync();
                await Expect(page.Locator("#alloc-save")).ToBeDisabledAsync();

                // Even a request made by hand from the page's own origin is refused without the secret.
                int status = await page.EvaluateAsync<int>(
                    "fetch('/api/allocation', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({allocation: '5 GB'})}).then(r => r.status)");
                Assert.Equal(403, status);
            }
        }
    }
}
