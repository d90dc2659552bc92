namespace AetherEdge.HostNode.Shards
{
    /// <summary>What a put stored.</summary>
    public sealed class PutResult
    {
        public PutResult(ShardManifest manifest, long storedBytes, string? recordedPath = null, string? entryId = null, string? sameContentAs = null)
        {
            Manifest = manifest;
            StoredBytes = storedBytes;
            RecordedPath = recordedPath;
            _entryId = entryId;
            SameContentAs = sameContentAs;
        }

        private readonly string? _entryId;

        public ShardManifest Manifest { get; }

        /// <summary>The id this put's name goes by: the new file's, or (same content as a stored file) its name record's or that file's.</summary>
        public string FileId => _entryId ?? Manifest.FileIdText;

        /// <summary>Non-null when the content was already stored (that file's id): nothing but a name was added.</summary>
        public string? SameContentAs { get; }

        /// <summary>Bytes of all shards written.</summary>
        public long StoredBytes { get; }

        /// <summary>The relative path recorded in the manifest (folder puts), else null.</summary>
        public string? RecordedPath { get; }
    }

    /// <summary>One file to put: where to read it, its size now, and the relative path to record (null: none).</summary>
    public sealed class PutSource
    {
        public PutSource(string path, string? recordedPath = null)
        {
            if (recordedPath != null && System.Text.Encoding.UTF8.GetByteCount(recordedPath) > ShardLimits.MaxPathBytes)
            {
                throw new ShardException("path " + recordedPath + " is longer than " + ShardLimits.MaxPathBytes + " bytes");
            }

            Path = path;
            RecordedPath = recordedPath;
            Length = new FileInfo(path).Length;
        }

        /// <summary>
        /// The rest of an open file from its position (e.g. stdin spooled to an unlinked file); <paramref name="name"/>
        /// names it in errors, <paramref name="recordedPath"/> (if any) is the name recorded in its manifest.
        /// </summary>
        public PutSource(FileStream input, string name, string? recordedPath = null)
        {
            if (recordedPath != null && System.Text.Encoding.UTF8.GetByteCount(recordedPath) > ShardLimits.MaxPathBytes)
            {
                throw new ShardException("name " + recordedPath + " is longer than " + ShardLimits.MaxPathBytes + " bytes");
            }

            Path = name;
            RecordedPath = recordedPath;
            Handle = input.SafeFileHandle;
            Offset = input.Position;
            Length = input.Length - input.Position;
        }

        public string Path { get; }

        public string? RecordedPath { get; }

        public long Length { get; }

        /// <summary>An already open file (not closed by the put), or null to open <see cref="Path"/>.</summary>
        public Microsoft.Win32.SafeHandles.SafeFileHandle? Handle { get; }

        /// <summary>Where the content starts in <see cref="Handle"/>.</summary>
        public long Offset { get; }
    }
}
