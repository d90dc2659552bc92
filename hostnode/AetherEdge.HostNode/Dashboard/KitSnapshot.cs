using System.Text.Json.Serialization;

namespace AetherEdge.HostNode.Dashboard
{
    /// <summary>
    /// What <c>GET /api/kit</c> answers: the kit's devices, its files with their protection, and this device's
    /// storage settings. Never holds a key: device IDs are public-key fingerprints, file IDs are random.
    /// </summary>
    public sealed record KitSnapshot(
        DateTimeOffset GeneratedUtc,
        string Version,
        DeviceRow[] Devices,
        FileRow[] Files,
        StorageSettingsView Settings,
        BeaconRow[] Beacons);

    /// <summary>What <c>GET /api/nodes</c> answers: the snapshot's devices and BLE nodes, without its files.</summary>
    public sealed record KitNodes(DateTimeOffset GeneratedUtc, DeviceRow[] Devices, BeaconRow[] Beacons);

    /// <summary>One device of the kit (this one first, then trusted devices by name).</summary>
    /// <param name="Battery">"87 %", or "no battery" (never a made-up 100 %), or null when unknown.</param>
    /// <param name="Power">"plugged in", "on battery", or the local power source text.</param>
    /// <param name="Transports">How this hub reaches it now, kind first: "ble link", "lan 10.0.0.2:43216 (mdns)", "wifi-direct 192.168.49.1:43216 (wifi-direct)", "via mesh, 2 hops through desk-a".</param>
    /// <param name="LastSyncUtc">This hub: its last completed round; a peer: when its last inventory arrived (each session opens with one).</param>
    /// <param name="LastSkip">This hub: the scheduler's last skip reason ("battery low and not plugged in", ...).</param>
    /// <param name="Hops">0 for this hub, 1 when reached directly (a mesh link or an address to dial), the mesh hop count beyond; null when not reachable now.</param>
    public sealed record DeviceRow(
        string Id,
        string Name,
        string Kind,
        bool Self,
        bool Online,
        double? LastSeenSecondsAgo,
        string[] Transports,
        string? Battery,
        string? Power,
        long? AllocationBytes,
        long? UsedBytes,
        long? AvailableBytes,
        int? ShardsHeld,
        DateTimeOffset? LastSyncUtc,
        string? LastSkip,
        int? Hops);

    /// <summary>
    /// A BLE node this hub heard advertising the shard service (beacons, and phones, laptops or hubs met over BLE),
    /// as its unauthenticated advertisement says: shown, never trusted.
    /// </summary>
    /// <param name="NodeId">Router node id, 8 hex digits.</param>
    /// <param name="Transport">"ble" (heard directly, one hop).</param>
    /// <param name="Battery">"87 %" or "no battery".</param>
    /// <param name="Power">"plugged in" or "on battery".</param>
    /// <param name="AcceptsBulk">False while its battery rule stops it relaying and caching shards.</param>
    public sealed record BeaconRow(
        string NodeId,
        string Address,
        string? Name,
        string Kind,
        string Transport,
        int Hops,
        double LastSeenSecondsAgo,
        bool Connected,
        string Battery,
        string Power,
        bool AcceptsBulk,
        long AllocationBytes,
        int? Rssi);

    /// <summary>One file: its protection as this hub knows it.</summary>
    /// <param name="Placed">Shards held where the plan puts them.</param>
    /// <param name="Planned">Shards the plan puts somewhere (fewer than the total when the kit has too few devices).</param>
    /// <param name="Available">Distinct shards held by this device or an online peer.</param>
    /// <param name="SurvivesLosses">Devices that can be lost with the file still readable; -1: unreadable now.</param>
    /// <param name="State">"protected", "at risk" (one more loss can make it unreadable), "unreadable", or "checking" (inventories pending).</param>
    public sealed record FileRow(
        string Id,
        string Name,
        long Bytes,
        DateTimeOffset CreatedUtc,
        int DataShards,
        int TotalShards,
        int Placed,
        int Planned,
        int Available,
        int SurvivesLosses,
        bool Repairing,
        string State);

    /// <summary>The settings page: this device's allocation inside its kind's range (the seed's mock-up).</summary>
    public sealed record StorageSettingsView(
        string DeviceName,
        string Kind,
        long TotalCapacityBytes,
        long FreeCapacityBytes,
        long AllocationBytes,
        long MinBytes,
        long MaxBytes,
        long UsedBytes,
        long RecommendedBytes,
        double UtilizationPercent);

    /// <summary>The answer to a settings change: the saved allocation, or the validation message.</summary>
    public sealed record AllocationResult(bool Saved, long AllocationBytes, string? Error);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
    [JsonSerializable(typeof(KitSnapshot))]
    [JsonSerializable(typeof(KitNodes))]
    [JsonSerializable(typeof(AllocationResult))]
    internal sealed partial class DashboardJsonContext : JsonSerializerContext
    {
    }
}
