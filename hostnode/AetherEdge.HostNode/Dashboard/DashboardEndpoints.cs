using AetherEdge.HostNode.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>Maps <see cref="DashboardApi"/>'s routes on the hub's HTTP host (any method; the API answers 405 itself).</summary>
    public sealed class DashboardEndpoints : IHttpEndpoints
    {
        private readonly DashboardApi _api;

        public DashboardEndpoints(DashboardApi api)
        {
            _api = api;
        }

        public void Map(IEndpointRouteBuilder routes)
        {
            foreach (string path in DashboardApi.Paths)
            {
                routes.Map(path, ServeAsync);
            }
        }

        private async Task ServeAsync(HttpContext context)
        {
            var request = context.Request;
            byte[] body = await ReadBoundedAsync(request.Body, DashboardApi.MaxBodyBytes + 1, context.RequestAborted);
            var answer = _api.Handle(new DashboardRequest(
                request.Method,
                request.Path.Value ?? "/",
                request.Headers.Host.Count > 0 ? request.Headers.Host.ToString() : null,
                request.Headers.Origin.Count > 0 ? request.Headers.Origin.ToString() : null,
                request.ContentType,
                request.Headers.TryGetValue(DashboardApi.SecretHeader, out var secret) ? secret.ToString() : null,
                body));
            var response = context.Response;
            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers)
            {
                response.Headers[name] = value;
            }

            response.ContentLength = answer.Body.Length;
            if (!HttpMethods.IsHead(request.Method))
            {
                await response.Body.WriteAsync(answer.Body, context.RequestAborted);
            }
        }

        // Reads at most `limit` bytes: a bigger body is refused by the API without being held whole.
        private static async Task<byte[]> ReadBoundedAsync(Stream body, int limit, CancellationToken ct)
        {
            var buffer = new byte[limit];
            int used = 0;
            int n;
            while (used < limit && (n = await body.ReadAsync(buffer.AsMemory(used, limit - used), ct)) > 0)
            {
                used += n;
            }

            return buffer.AsSpan(0, used).ToArray();
        }
    }
}
