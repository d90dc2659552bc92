using Microsoft.AspNetCore.Routing;

namespace AetherEdge.HostNode.Http
{
    /// <summary>
    /// One feature's routes on the hub's HTTP host. Register an implementation in the hub's container
    /// (<c>services.AddSingleton&lt;IHttpEndpoints, MyEndpoints&gt;()</c>); <see cref="HttpHost"/> maps every
    /// one when it starts. Handlers close over the feature's own hub services (constructor-injected), so
    /// the HTTP host's own container stays empty.
    /// </summary>
    public interface IHttpEndpoints
    {
        /// <summary>Maps this feature's routes (e.g. <c>routes.MapGet("/metrics", ...)</c>).</summary>
        void Map(IEndpointRouteBuilder routes);
    }
}
