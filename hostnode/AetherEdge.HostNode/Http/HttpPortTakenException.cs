namespace AetherEdge.HostNode.Http
{
    /// <summary>The HTTP host could not listen where it was told to (port taken, address not on this device).</summary>
    public sealed class HttpPortTakenException : IOException
    {
        public HttpPortTakenException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
