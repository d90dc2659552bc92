using System.Net.Http.Json;
using System.Text.Json;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Dashboard;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Peers;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>
    /// <c>aether put</c> beside a running hub: the hub on this home (HOME/hub.run.json names its HTTP address, the
    /// home's secret file proves we own the home) encodes the files and streams shards to their holders
    /// (<see cref="HubPuts"/>). No hub, or one that does not answer: null, and the verb puts in its own process.
    /// </summary>
    internal static class HubPutClient
    {
        private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

        public static HubPutResponse? TryPut(string home, List<HubPutFile> files, int dataShards, int parityShards, CancellationToken cancellation)
        {
            if (RunningHub.TryLocate(home, out _) is not { IsLoopback: true } baseUri || DashboardSecret.TryLoad(home) is not { } secret)
            {
                return null;
            }

            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, HubPutContract.Path))
            {
                // Serialised whole so the hub sees its length first (it refuses bodies over its bound unread).
                Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new HubPutRequest { Files = files, DataShards = dataShards, ParityShards = parityShards }, s_json))
                {
                    Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") },
                },
            };
            message.Headers.Add(DashboardApi.SecretHeader, secret.Text);
            HttpResponseMessage response;
            try
            {
                response = http.Send(message, cancellation);
            }
            catch (HttpRequestException e) when (e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
            {
                // A stale run file or a hub still starting: put here as if none ran.
                return null;
            }
            catch (HttpRequestException e)
            {
                // The hub took the put and went away: what it committed is listed by `aether ls`, the rest is absent.
                throw new IOException("the hub on this home stopped during the put (" + e.Message + "); `aether ls` lists the files it stored, put again for the rest");
            }

            using (response)
            {
                HubPutResponse? body;
                try
                {
                    body = response.Content.ReadFromJsonAsync<HubPutResponse>(s_json, cancellation).GetAwaiter().GetResult();
                }
                catch (JsonException)
                {
                    body = null;
                }

                if ((int)response.StatusCode == 404)
                {
                    // An older hub without hand-over.
                    return null;
                }

                if (body == null)
                {
                    throw new IOException("the hub on this home answered the put with HTTP " + (int)response.StatusCode);
                }

                if (body.Error != null)
                {
                    throw (int)response.StatusCode == 400 ? new UsageException(body.Error) : new IOException(body.Error);
                }

                return body;
            }
        }
    }
}
