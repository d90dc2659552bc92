using System.Text.Json.Serialization;

namespace AetherEdge.HostNode.Home
{
    /// <summary>Contents of <c>HOME/config.json</c>, written by <c>aether init</c>.</summary>
    public sealed class NodeConfig
    {
        [JsonPropertyName("nodeName")]
        public string NodeName { get; set; } = string.Empty;

        /// <summary>Lower-case device kind (<c>hub</c>, <c>desktop</c>, ...).</summary>
        [JsonPropertyName("kind")]
        public string Kind { get; set; } = "hub";

        [JsonPropertyName("allocationBytes")]
        public long AllocationBytes { get; set; }

        /// <summary>TCP port for shard sync (the seed's 43216).</summary>
        [JsonPropertyName("port")]
        public int Port { get; set; }

        [JsonPropertyName("createdUtc")]
        public DateTimeOffset CreatedUtc { get; set; }
    }

    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(NodeConfig))]
    internal sealed partial class NodeConfigJsonContext : JsonSerializerContext
    {
    }
}
