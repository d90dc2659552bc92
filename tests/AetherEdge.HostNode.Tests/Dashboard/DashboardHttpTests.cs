using System.Net;
using System.Text;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Http;
using AetherEdge.TestSupport.Dashboard;

namespace AetherEdge.HostNode.Tests.Dashboard
{
    /// <summary>The dashboard on a started hub: Kestrel on loopback, real sockets.</summary>
    public sealed class DashboardHttpTests : IDisposable
    {
        private readonly SimulatedKit _kit = new("http-hub", start: true);
        private readonly HttpClient _http = new();

        public void Dispose()
        {
            _http.Dispose();
            _kit.Dispose();
        }

        private Uri Base => _kit.Get<HttpHost>().BaseAddress!;

        [Fact]
        public async Task Hub_ServesPageKitAndMetricsOnOnePort_OnLoopback()
        {
            Assert.Equal("127.0.0.1", Base.Host);
            var page = await _http.GetAsync(new Uri(Base, "/"));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Contains("AetherEdge kit", await page.Content.ReadAsStringAsync());
            Assert.True(page.Headers.Contains("Content-Security-Policy"));
            var kit = await _http.GetStringAsync(new Uri(Base, DashboardApi.KitPath));
            Assert.Contains("\"settings\"", kit);
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(Base, "/metrics"))).StatusCode);
        }

        [Fact]
        public async Task Allocation_OverHttp_NeedsTheSecretAndThenChangesTheConfig()
        {
            long before = NodeHome.Open(_kit.Home).AllocationBytes;
            var refused = await PostAsync("{\"allocation\": \"3 GB\"}", null);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(before, NodeHome.Open(_kit.Home).AllocationBytes);

            var saved = await PostAsync("{\"allocation\": \"3 GB\"}", _kit.Get<DashboardSecret>().Text);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Equal(3_000_000_000, NodeHome.Open(_kit.Home).AllocationBytes);
        }

        [Fact]
        public async Task Allocation_BodyOverTheLimit_RefusedWithoutReadingItAll()
        {
            var r = await PostAsync("{\"allocation\": \"" + new string('9', 60_000) + "\"}", _kit.Get<DashboardSecret>().Text);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        }

        private Task<HttpResponseMessage> PostAsync(string json, string? secret)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Base, DashboardApi.AllocationPath))
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            if (secret != null)
            {
                request.Headers.Add(DashboardApi.SecretHeader, secret);
            }

            return _http.SendAsync(request);
        }
    }
}
