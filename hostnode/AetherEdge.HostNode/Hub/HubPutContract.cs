namespace AetherEdge.HostNode.Hub
{
    /// <summary>What <c>aether put</c> sends a running hub on its home (POST <see cref="HubPutContract.Path"/>, JSON).</summary>
    public sealed class HubPutRequest
    {
        public List<HubPutFile> Files { get; set; } = new();

        public int DataShards { get; set; }

        public int ParityShards { get; set; }
    }

    /// <summary>One file: its absolute path and the name or relative path to record (null: none).</summary>
    public sealed class HubPutFile
    {
        public string Path { get; set; } = string.Empty;

        public string? Name { get; set; }
    }

    /// <summary>The hub's answer: one result per file in request order, or an error (then no results).</summary>
    public sealed class HubPutResponse
    {
        public List<HubPutResult> Results { get; set; } = new();

        /// <summary>Shard bytes streamed to peers while encoding.</summary>
        public long PushedBytes { get; set; }

        /// <summary>Peers the plan named that could not be reached (their shards were kept here).</summary>
        public List<string> Unreachable { get; set; } = new();

        /// <summary>True when a push failed midway and the put was done again keeping every shard here.</summary>
        public bool KeptLocally { get; set; }

        public string? Error { get; set; }
    }

    /// <summary>One file's outcome, as the verb prints it.</summary>
    public sealed class HubPutResult
    {
        public string FileId { get; set; } = string.Empty;

        public string? Path { get; set; }

        public long Bytes { get; set; }

        public int Shards { get; set; }

        public long StoredBytes { get; set; }

        public string? SameContentAs { get; set; }
    }

    public static class HubPutContract
    {
        public const string Path = "/api/put";

        /// <summary>Largest request body read (file lists of folder puts).</summary>
        public const int MaxBodyBytes = 64 << 20;
    }
}
