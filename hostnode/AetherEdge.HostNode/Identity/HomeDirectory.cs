namespace AetherEdge.HostNode.Identity
{
    /// <summary>
    /// Where a node keeps its state: <c>--home DIR</c>, else <c>$AETHER_HOME</c>, else the XDG data
    /// dir (<c>$XDG_DATA_HOME/aether</c>, else <c>~/.local/share/aether</c>). Created on first use with
    /// owner-only permissions.
    /// </summary>
    public static class HomeDirectory
    {
        public const string EnvironmentVariable = "AETHER_HOME";
        public const string XdgDataHomeVariable = "XDG_DATA_HOME";
        public const string FolderName = "aether";

        public static string Resolve(string? option)
        {
            string? dir = option;
            if (string.IsNullOrEmpty(dir))
            {
                dir = Environment.GetEnvironmentVariable(EnvironmentVariable);
            }

            if (string.IsNullOrEmpty(dir))
            {
                string? xdg = Environment.GetEnvironmentVariable(XdgDataHomeVariable);
                dir = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                    ? Path.Combine(xdg, FolderName)
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", FolderName);
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
