namespace AetherEdge.HostNode.Tests.Power
{
    /// <summary>A power_supply-shaped directory tree in a temp dir (real files), deleted on dispose.</summary>
    internal sealed class FakeSysfsTree : IDisposable
    {
        public FakeSysfsTree()
        {
            Root = Path.Combine(Path.GetTempPath(), "aether-sysfs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
        }

        public string Root { get; }

        public FakeSysfsTree Supply(string name, params (string Attribute, string Value)[] attributes)
        {
            string dir = Path.Combine(Root, name);
            Directory.CreateDirectory(dir);
            foreach ((string attribute, string value) in attributes)
            {
                File.WriteAllText(Path.Combine(dir, attribute), value + "\n");
            }

            return this;
        }

        public string PathOf(string name, string attribute) => Path.Combine(Root, name, attribute);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
