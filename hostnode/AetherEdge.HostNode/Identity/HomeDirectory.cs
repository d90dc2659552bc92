namespace AetherEdge.HostNode.Identity
{
    /// <summary>
    /// Where a node keeps its state: <c>--home DIR</c>, else <c>$AETHER_HOME</c>, else
    /// <c>~/.aether</c>. Created on first use with owner-only permissions.
    /// </summary>
    public static class HomeDirectory
    {
        public const string EnvironmentVariable = "AETHER_HOME";

        public static string Resolve(string? option)
        {
            string? dir = option;
            if (string.IsNullOrEmpty(dir))
            {
                dir = Environment.GetEnvironmentVariable(EnvironmentVariable);
            }

            if (string.IsNullOrEmpty(dir))
            {
                dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aether");
            }

            return Path.GetFullPath(dir);
        }

        public static string Ensure(string dir)
        {
            if (!Directory.Exists(dir))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(dir);
                }
                else
                {
                    Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            return dir;
        }
    }
}
