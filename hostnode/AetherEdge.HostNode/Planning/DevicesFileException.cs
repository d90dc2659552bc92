namespace AetherEdge.HostNode.Planning
{
    /// <summary>A devices file that cannot be used; the message names the file, the device and the field.</summary>
    public sealed class DevicesFileException : Exception
    {
        public DevicesFileException(string message)
            : base(message)
        {
        }
    }
}
