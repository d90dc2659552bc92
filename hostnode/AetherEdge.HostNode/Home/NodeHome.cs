using System.Security.Cryptography;
using System.Text.Json;
using AetherEdge.Core.Allocation;
using AetherEdge.Core.Devices;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Home
{
    /// <summary>
    /// An initialised home: <c>config.json</c> (name, kind, allocation, port) and <c>user.key</c>
    /// (32 random bytes, mode 0600, the secret every file key and manifest key derives from).
    /// Shards live below it (see Storage/README.md).
    /// </summary>
    public sealed class NodeHome
    {
        public const string ConfigFileName = "config.json";
        public const string UserKeyFileName = "user.key";
        public const int UserKeyBytes = 32;
        public const int DefaultPort = 43216;
        public const int MaxNameLength = 64;

        private NodeHome(string path, NodeConfig config, DeviceKind kind)
        {
            Path = path;
            Config = config;
            Kind = kind;
        }

        public string Path { get; }

        public NodeConfig Config { get; }

        public DeviceKind Kind { get; }

        public long AllocationBytes => Config.AllocationBytes;

        public static bool IsInitialized(string path) => File.Exists(System.IO.Path.Combine(path, ConfigFileName));

        /// <summary>Total size of the filesystem holding <paramref name="path"/> (free + used).</summary>
        public static long TotalCapacityBytes(string path)
        {
            string probe = path;
            while (!Directory.Exists(probe))
            {
                probe = System.IO.Path.GetDirectoryName(probe) ?? "/";
            }

            return new DriveInfo(probe).TotalSize;
        }

        /// <summary>
        /// Creates config and user key. Throws <see cref="HomeException"/> when already initialised or
        /// when the allocation is outside the kind's range for this disk.
        /// </summary>
        public static NodeHome Init(string path, DeviceKind kind, long? allocationBytes, string? name, DateTimeOffset now)
        {
            if (IsInitialized(path))
            {
                throw new HomeException(path + " is already initialised (" + ConfigFileName + " exists)");
            }

            long allocation = allocationBytes ?? StorageAllocation.DefaultAllocationBytes(kind);
            long total = TotalCapacityBytes(path);
            string? error = StorageAllocation.ValidationError(kind, allocation, total);
            if (error != null)
            {
                throw new HomeException(error);
            }

            string nodeName = string.IsNullOrWhiteSpace(name) ? DefaultName() : name.Trim();
            if (nodeName.Length > MaxNameLength)
            {
                throw new HomeException("node name must be at most " + MaxNameLength + " characters");
            }

            HomeDirectory.Ensure(path);
            var config = new NodeConfig
            {
                NodeName = nodeName,
                Kind = StorageAllocation.KindName(kind),
                AllocationBytes = allocation,
                Port = DefaultPort,
                CreatedUtc = now,
            };

            string keyPath = System.IO.Path.Combine(path, UserKeyFileName);
            if (!File.Exists(keyPath))
            {
                WriteAtomically(keyPath, RandomNumberGenerator.GetBytes(UserKeyBytes));
            }

            // Config last: its presence is what "initialised" means.
            WriteAtomically(System.IO.Path.Combine(path, ConfigFileName),
                JsonSerializer.SerializeToUtf8Bytes(config, NodeConfigJsonContext.Default.NodeConfig));
            return new NodeHome(path, config, kind);
        }

        /// <summary>Loads an initialised home; <see cref="HomeException"/> naming the fix otherwise.</summary>
        public static NodeHome Open(string path) =>
            TryOpen(path) ?? throw new HomeException(path + " is not initialised (run: aether init --home " + path + ")");

        /// <summary>
        /// Loads the home's <c>config.json</c> (the one reader of that file); null when the home was never
        /// initialised, <see cref="HomeException"/> naming the file when it is not valid.
        /// </summary>
        public static NodeHome? TryOpen(string path)
        {
            string configPath = System.IO.Path.Combine(path, ConfigFileName);
            if (!File.Exists(configPath))
            {
                return null;
            }

            NodeConfig? config;
            try
            {
                config = JsonSerializer.Deserialize(File.ReadAllBytes(configPath), NodeConfigJsonContext.Default.NodeConfig);
            }
            catch (JsonException e)
            {
                throw new HomeException(configPath + " is not valid JSON (" + e.Message + ")");
            }

            if (config == null || !StorageAllocation.TryParseKind(config.Kind, out DeviceKind kind) || config.AllocationBytes < 0)
            {
                throw new HomeException(configPath + " lacks a valid kind or allocationBytes");
            }

            return new NodeHome(path, config, kind);
        }

        /// <summary>
        /// Writes a new allocation into <c>config.json</c> (atomically; every other field kept) after checking it
        /// against the kind's range for this disk. <see cref="HomeException"/> with the range when it is outside.
        /// </summary>
        public static NodeHome SaveAllocation(string path, long allocationBytes)
        {
            var home = Open(path);
            string? error = StorageAllocation.ValidationError(home.Kind, allocationBytes, TotalCapacityBytes(path));
            if (error != null)
            {
                throw new HomeException(error);
            }

            home.Config.AllocationBytes = allocationBytes;
            WriteAtomically(System.IO.Path.Combine(path, ConfigFileName),
                JsonSerializer.SerializeToUtf8Bytes(home.Config, NodeConfigJsonContext.Default.NodeConfig));
            return home;
        }

        /// <summary>The 32-byte user secret.</summary>
        public byte[] ReadUserKey()
        {
            string keyPath = System.IO.Path.Combine(Path, UserKeyFileName);
            if (!File.Exists(keyPath))
            {
                throw new HomeException(keyPath + " is missing: without the user key no file can be encrypted or read");
            }

            byte[] key = File.ReadAllBytes(keyPath);
            if (key.Length != UserKeyBytes)
            {
                throw new HomeException(keyPath + " must hold " + UserKeyBytes + " bytes, found " + key.Length);
            }

            return key;
        }

        private static string DefaultName()
        {
            string host = Environment.MachineName;
            return string.IsNullOrWhiteSpace(host) ? "aether-hub" : host;
        }

        private static void WriteAtomically(string path, byte[] content)
        {
            string tmp = path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var fs = new FileStream(tmp, options))
            {
                fs.Write(content);
                fs.Flush(true);
            }

            File.Move(tmp, path, true);
        }
    }
}
