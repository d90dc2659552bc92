namespace AetherEdge.HostNode.DBus
{
    /// <summary>Validation of object paths per the specification.</summary>
    public static class DBusNames
    {
        public static bool IsValidObjectPath(string path)
        {
            if (path.Length == 0 || path[0] != '/')
            {
                return false;
            }

            if (path.Length == 1)
            {
                return true;
            }

            if (path[^1] == '/')
            {
                return false;
            }

            char prev = '/';
            for (int i = 1; i < path.Length; i++)
            {
                char c = path[i];
                if (c == '/')
                {
                    if (prev == '/')
                    {
                        return false;
                    }
                }
                else if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    return false;
                }

                prev = c;
            }

            return true;
        }
    }
}
