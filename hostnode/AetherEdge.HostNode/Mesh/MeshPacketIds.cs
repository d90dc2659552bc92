using System.Globalization;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// The router's first packet id after a start, ahead of every id this hub used before it. Every neighbour keeps,
    /// per source, the newest packet id it saw and drops ids behind it as stale (shared-core <c>DedupCache</c>, and
    /// each packet heard keeps the entry alive), so a restarted hub counting from 1 again would go unheard until its
    /// ids passed the old ones. Like the beacon firmware, the hub keeps a high-water mark (<c>HOME/mesh-packet-id</c>):
    /// a start takes the mark plus <see cref="Block"/> and writes it at once; while running, the mark follows the
    /// router every <see cref="Block"/>/2 ids, so no id used is ever more than that ahead of the mark on disk. Jumps of
    /// 2^20 keep the serial-number comparison (2^31) right.
    /// </summary>
    public sealed class MeshPacketIds
    {
        public const string FileName = "mesh-packet-id";
        public const uint Block = 1u << 20;

        private readonly string _path;
        private uint _saved;

        public MeshPacketIds(string home)
        {
            _path = Path.Combine(home, FileName);
            uint first = 1;
            if (File.Exists(_path) && uint.TryParse(File.ReadAllText(_path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint mark))
            {
                first = mark + Block;
            }

            First = first == 0 ? 1 : first;
            Save(First);
        }

        /// <summary>The id the router starts at.</summary>
        public uint First { get; }

        /// <summary>The router's next id now (its thread): the mark moves on once it is half a block behind.</summary>
        public void Observe(uint next)
        {
            if (next - _saved >= Block / 2)
            {
                Save(next);
            }
        }

        private void Save(uint mark)
        {
            try
            {
                string temp = _path + ".tmp";
                File.WriteAllText(temp, mark.ToString(CultureInfo.InvariantCulture));
                File.Move(temp, _path, overwrite: true);
                _saved = mark;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Left behind: the next id observed tries again; a restart before then starts a block further anyway.
            }
        }
    }
}
