namespace AetherEdge.HostNode.Tests
{
    /// <summary>
    /// The xUnit collection of every test that builds network namespaces and runs real daemons in them:
    /// they run one after another, so fixed namespace names never collide and the timing-sensitive
    /// mesh tests do not compete with each other for the 2 CI cores.
    /// </summary>
    public static class NetnsCollection
    {
        public const string Name = "network namespaces";
    }
}
