using System.Security.Cryptography;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Storage;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>
    /// After a successful pairing both devices should read each other's files, so they need the same
    /// user key (HOME/user.key). Inside the paired TLS connection each side sends
    /// [has key u8][key 32 B][has data u8]; both then apply the same rule: a side that has stored
    /// data keeps its key and the other adopts it; if neither has data the showing side's key wins;
    /// if both have data under different keys, both keep theirs (and the verb says so).
    /// </summary>
    public static class UserKeyHandover
    {
        public enum Result
        {
            Same,
            Adopted,
            Gave,
            KeptBothHaveData,
            NoKeys,
        }

        /// <summary>True when the home stores at least one file manifest (its key then must not change).</summary>
        public static bool HasManifests(string home)
        {
            if (!NodeHome.IsInitialized(home) || !File.Exists(Path.Combine(home, ShardStore.IndexFileName)))
            {
                return false;
            }

            try
            {
                using var store = ShardStore.Open(home, NodeHome.Open(home).AllocationBytes);
                return store.ManifestCount > 0;
            }
            catch (Exception e) when (e is IOException or HomeException or System.Data.Common.DbException)
            {
                // Unreadable store: treat as holding data so its key is never replaced.
                return true;
            }
        }

        public static async Task<Result> RunAsync(Stream tls, string home, bool isShowingSide, CancellationToken ct)
        {
            string keyPath = Path.Combine(home, NodeHome.UserKeyFileName);
            byte[]? key = File.Exists(keyPath) ? File.ReadAllBytes(keyPath) : null;
            if (key != null && key.Length != NodeHome.UserKeyBytes)
            {
                key = null;
            }

            bool hasData = HasManifests(home);
            var message = new byte[2 + NodeHome.UserKeyBytes];
            message[0] = (byte)(key != null ? 1 : 0);
            key?.CopyTo(message, 1);
            message[^1] = (byte)(hasData ? 1 : 0);
            await tls.WriteAsync(message, ct);
            await tls.FlushAsync(ct);
            var reply = new byte[message.Length];
            await tls.ReadExactlyAsync(reply, ct);
            CryptographicOperations.ZeroMemory(message);
            byte[]? peerKey = reply[0] == 1 ? reply.AsSpan(1, NodeHome.UserKeyBytes).ToArray() : null;
            bool peerHasData = reply[^1] == 1;
            if (key == null && peerKey == null)
            {
                return Result.NoKeys;
            }

            if (key != null && peerKey != null && CryptographicOperations.FixedTimeEquals(key, peerKey))
            {
                return Result.Same;
            }

            bool adopt;
            if (key == null)
            {
                adopt = true;
            }
            else if (peerKey == null)
            {
                adopt = false;
            }
            else if (hasData != peerHasData)
            {
                adopt = peerHasData;
            }
            else if (!hasData)
            {
                adopt = !isShowingSide;
            }
            else
            {
                return Result.KeptBothHaveData;
            }

            if (!adopt)
            {
                return Result.Gave;
            }

            Directory.CreateDirectory(home);
            string tmp = keyPath + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var fs = new FileStream(tmp, options))
            {
                fs.Write(peerKey!);
            }

            File.Move(tmp, keyPath, true);
            return Result.Adopted;
        }
    }
}
