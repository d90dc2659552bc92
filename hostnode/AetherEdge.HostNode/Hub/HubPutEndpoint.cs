using System.Text.Json;
using AetherEdge.Core.Erasure;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Http;
using AetherEdge.HostNode.Shards;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AetherEdge.HostNode.Hub
{
    /// <summary>
    /// POST <see cref="HubPutContract.Path"/>: <c>aether put</c> on this home hands its files to the hub
    /// (<see cref="HubPuts"/>). Only with the home's secret (<see cref="DashboardSecret"/>, a 0600 file only the
    /// home's owner reads) in <see cref="DashboardApi.SecretHeader"/>; 400 with one line for bad input, 500 for a
    /// failure while storing, 200 with the results.
    /// </summary>
    public sealed class HubPutEndpoint : IHttpEndpoints
    {
        private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

        private readonly HubPuts _puts;
        private readonly DashboardSecret _secret;

        public HubPutEndpoint(HubPuts puts, DashboardSecret secret)
        {
            _puts = puts;
            _secret = secret;
        }

        public void Map(IEndpointRouteBuilder routes) => routes.MapPost(HubPutContract.Path, ServeAsync);

        private async Task ServeAsync(HttpContext context)
        {
            var request = context.Request;
            if (!_secret.Matches(request.Headers.TryGetValue(DashboardApi.SecretHeader, out var s) ? s.ToString() : null))
            {
                await AnswerAsync(context, StatusCodes.Status403Forbidden, new HubPutResponse { Error = "the home's secret is required" });
                return;
            }

            if (request.ContentLength is not { } length || length > HubPutContract.MaxBodyBytes)
            {
                await AnswerAsync(context, StatusCodes.Status400BadRequest, new HubPutResponse { Error = "a put request is JSON of at most " + HubPutContract.MaxBodyBytes + " bytes with its length" });
                return;
            }

            HubPutRequest? put;
            try
            {
                put = await JsonSerializer.DeserializeAsync<HubPutRequest>(request.Body, s_json, context.RequestAborted);
            }
            catch (JsonException e)
            {
                await AnswerAsync(context, StatusCodes.Status400BadRequest, new HubPutResponse { Error = "not a put request: " + e.Message });
                return;
            }

            string? invalid = put == null ? "empty request" : Validate(put);
            var sources = new List<PutSource>();
            if (invalid == null)
            {
                try
                {
                    sources.AddRange(put!.Files.Select(f => new PutSource(f.Path, f.Name)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    invalid = e.Message;
                }
            }

            if (invalid != null)
            {
                await AnswerAsync(context, StatusCodes.Status400BadRequest, new HubPutResponse { Error = invalid });
                return;
            }

            try
            {
                var response = await Task.Run(() => _puts.Put(sources, put!.DataShards, put.ParityShards, context.RequestAborted), context.RequestAborted);
                await AnswerAsync(context, StatusCodes.Status200OK, response);
            }
            catch (HomeException e)
            {
                await AnswerAsync(context, StatusCodes.Status400BadRequest, new HubPutResponse { Error = e.Message });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await AnswerAsync(context, StatusCodes.Status500InternalServerError, new HubPutResponse { Error = e.Message });
            }
        }

        private static string? Validate(HubPutRequest put)
        {
            if (put.Files.Count == 0)
            {
                return "no files to put";
            }

            string? code = ErasureLimits.ValidationError(put.DataShards, put.ParityShards);
            if (code != null)
            {
                return code;
            }

            foreach (var f in put.Files)
            {
                if (!System.IO.Path.IsPathFullyQualified(f.Path) || !File.Exists(f.Path))
                {
                    return "file not found: " + f.Path;
                }

                if (f.Name != null && (f.Name.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(f.Name) > ShardLimits.MaxPathBytes || f.Name.Contains('\0')))
                {
                    return "a recorded name must be 1 to " + ShardLimits.MaxPathBytes + " bytes of text";
                }
            }

            return null;
        }

        private static Task AnswerAsync(HttpContext context, int status, HubPutResponse body)
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(body, s_json, context.RequestAborted);
        }
    }
}
