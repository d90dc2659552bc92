using System.Security.Cryptography;
using System.Text;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// The secret a settings change must carry: 32 random bytes (hex) in <c>HOME/dashboard.secret</c>, mode 0600,
    /// created by the hub on first start. <c>aether dashboard</c> reads it and prints the page's URL with it
    /// in the fragment (browsers never send a fragment, so it stays out of requests and logs until the page
    /// puts it into a request header). Reading the page needs no secret; changing anything does.
    /// </summary>
    public sealed class DashboardSecret
    {
        public const string FileName = "dashboard.secret";
        public const int SecretBytes = 32;

        private readonly byte[] _value;

        private DashboardSecret(string text)
        {
            Text = text;
            _value = Encoding.ASCII.GetBytes(text);
        }

        /// <summary>The secret as it appears in the URL (lower-case hex).</summary>
        public string Text { get; }

        /// <summary>The home's secret, created when missing.</summary>
        public static DashboardSecret LoadOrCreate(string home)
        {
            var existing = TryLoad(home);
            if (existing != null)
            {
                return existing;
            }

            string text = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));
            string path = Path.Combine(home, FileName);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var fs = new FileStream(path, options);
                fs.Write(Encoding.ASCII.GetBytes(text));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
                return TryLoad(home) ?? throw new IOException(path + " is not a dashboard secret");
            }

            return new DashboardSecret(text);
        }

        /// <summary>The home's secret, or null when the hub never created one.</summary>
        public static DashboardSecret? TryLoad(string home)
        {
            string path = Path.Combine(home, FileName);
            if (!File.Exists(path))
            {
                return null;
            }

            string text = File.ReadAllText(path).Trim();
            return text.Length == SecretBytes * 2 && text.All(Uri.IsHexDigit) ? new DashboardSecret(text.ToLowerInvariant()) : null;
        }

        /// <summary>True when <paramref name="offered"/> is the secret (compared in fixed time).</summary>
        public bool Matches(string? offered) =>
            offered != null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(offered), _value);
    }
}
