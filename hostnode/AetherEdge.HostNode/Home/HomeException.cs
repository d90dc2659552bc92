namespace AetherEdge.HostNode.Home
{
    /// <summary>The home directory is missing, not initialised or unreadable; the message says which and how to fix it.</summary>
    public sealed class HomeException : Exception
    {
        public HomeException(string message)
            : base(message)
        {
        }
    }
}
