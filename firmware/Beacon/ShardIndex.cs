namespace AetherEdge.Firmware.Beacon
{
    using System;

    /// <summary>
    /// The shard cache's RAM index: fixed slots (id, data-file number, length, CRC), an open-addressing
    /// hash of content ids (linear probing, backward-shift deletion, so no tombstones build up), a free-slot
    /// stack and a doubly linked recency list (oldest first). Every operation is O(1) on average, so a
    /// mount's journal replay is linear in its records. All arrays are allocated once at construction.
    /// Ids are not verified by the beacon (it caches ciphertext it cannot read), so an outsider may choose
    /// colliding ids: probing then degrades to a scan of the table, bounded by its size, never worse than
    /// the linear index this replaced.
    /// </summary>
    public sealed class ShardIndex
    {
        private const int None = -1;

        private readonly byte[][] _ids;
        private readonly uint[] _files;
        private readonly int[] _lengths;
        private readonly uint[] _crcs;
        private readonly bool[] _used;
        private readonly int[] _newer;
        private readonly int[] _older;
        private readonly int[] _free;
        private readonly int[] _table; // slot + 1, 0 = empty
        private readonly int[] _fileTable; // slot + 1 by data-file number, built by IndexFileNumbers
        private readonly int _mask;
        private int _freeCount;
        private int _oldest = None;
        private int _newest = None;

        /// <summary>Creates an empty index of <paramref name="capacity"/> slots.</summary>
        public ShardIndex(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException("capacity");
            }

            _ids = new byte[capacity][];
            for (int i = 0; i < capacity; i++)
            {
                _ids[i] = new byte[ShardCacheLimits.ContentIdBytes];
            }

            _files = new uint[capacity];
            _lengths = new int[capacity];
            _crcs = new uint[capacity];
            _used = new bool[capacity];
            _newer = new int[capacity];
            _older = new int[capacity];
            _free = new int[capacity];
            int size = 2;
            while (size < 2 * capacity)
            {
                size *= 2;
            }

            _table = new int[size];
            _fileTable = new int[size];
            _mask = size - 1;
            Clear();
        }

        /// <summary>Slots.</summary>
        public int Capacity
        {
            get { return _used.Length; }
        }

        /// <summary>Entries held.</summary>
        public int Count { get; private set; }

        /// <summary>Sum of the held entries' lengths.</summary>
        public long UsedBytes { get; private set; }

        /// <summary>The least recently used entry's slot, or −1 when empty.</summary>
        public int Oldest
        {
            get { return _oldest; }
        }

        /// <summary>Drops every entry.</summary>
        public void Clear()
        {
            Array.Clear(_used, 0, _used.Length);
            Array.Clear(_table, 0, _table.Length);
            for (int i = 0; i < _free.Length; i++)
            {
                _free[i] = _free.Length - 1 - i; // slot 0 is handed out first
            }

            _freeCount = _free.Length;
            _oldest = None;
            _newest = None;
            Count = 0;
            UsedBytes = 0;
        }

        /// <summary>The entry recently used next after <paramref name="slot"/>, or −1 after the newest.</summary>
        public int NewerThan(int slot)
        {
            return _newer[slot];
        }

        /// <summary>The content id held in <paramref name="slot"/> (32 bytes at offset 0).</summary>
        public byte[] IdAt(int slot)
        {
            return _ids[slot];
        }

        /// <summary>Data-file number of <paramref name="slot"/>.</summary>
        public uint FileAt(int slot)
        {
            return _files[slot];
        }

        /// <summary>Shard length of <paramref name="slot"/>.</summary>
        public int LengthAt(int slot)
        {
            return _lengths[slot];
        }

        /// <summary>Data CRC-32 of <paramref name="slot"/>.</summary>
        public uint CrcAt(int slot)
        {
            return _crcs[slot];
        }

        /// <summary>The slot holding <paramref name="contentId"/>, or −1.</summary>
        public int Find(byte[] contentId, int idOffset)
        {
            int position = Hash(contentId, idOffset) & _mask;
            for (int probes = 0; probes <= _mask; probes++)
            {
                int entry = _table[position];
                if (entry == 0)
                {
                    return None;
                }

                if (SameId(_ids[entry - 1], contentId, idOffset))
                {
                    return entry - 1;
                }

                position = (position + 1) & _mask;
            }

            return None;
        }

        /// <summary>Adds an entry as the most recently used; its slot, or −1 when every slot is taken.</summary>
        public int Add(byte[] contentId, int idOffset, uint file, int length, uint crc)
        {
            if (_freeCount == 0)
            {
                return None;
            }

            int slot = _free[--_freeCount];
            Array.Copy(contentId, idOffset, _ids[slot], 0, ShardCacheLimits.ContentIdBytes);
            _files[slot] = file;
            _lengths[slot] = length;
            _crcs[slot] = crc;
            _used[slot] = true;
            int position = Hash(contentId, idOffset) & _mask;
            while (_table[position] != 0)
            {
                position = (position + 1) & _mask;
            }

            _table[position] = slot + 1;
            LinkNewest(slot);
            Count++;
            UsedBytes += length;
            return slot;
        }

        /// <summary>Marks <paramref name="slot"/> as the most recently used.</summary>
        public void Touch(int slot)
        {
            if (_newest != slot)
            {
                Unlink(slot);
                LinkNewest(slot);
            }
        }

        /// <summary>Drops the entry in <paramref name="slot"/>.</summary>
        public void Remove(int slot)
        {
            if (!_used[slot])
            {
                return;
            }

            DeleteFromTable(slot);
            Unlink(slot);
            _used[slot] = false;
            _free[_freeCount++] = slot;
            Count--;
            UsedBytes -= _lengths[slot];
        }

        /// <summary>Builds the data-file-number lookup used by <see cref="HoldsFile"/> (mount's orphan sweep).</summary>
        public void IndexFileNumbers()
        {
            Array.Clear(_fileTable, 0, _fileTable.Length);
            for (int slot = _oldest; slot != None; slot = _newer[slot])
            {
                int position = FileHash(_files[slot]) & _mask;
                while (_fileTable[position] != 0)
                {
                    position = (position + 1) & _mask;
                }

                _fileTable[position] = slot + 1;
            }
        }

        /// <summary>True when an entry's data file is number <paramref name="file"/> (as of the last <see cref="IndexFileNumbers"/>).</summary>
        public bool HoldsFile(uint file)
        {
            int position = FileHash(file) & _mask;
            for (int probes = 0; probes <= _mask; probes++)
            {
                int entry = _fileTable[position];
                if (entry == 0)
                {
                    return false;
                }

                if (_used[entry - 1] && _files[entry - 1] == file)
                {
                    return true;
                }

                position = (position + 1) & _mask;
            }

            return false;
        }

        private void DeleteFromTable(int slot)
        {
            int hole = Hash(_ids[slot], 0) & _mask;
            while (_table[hole] != slot + 1)
            {
                hole = (hole + 1) & _mask;
            }

            // Backward shift: pull later members of the probe run into the hole unless their home lies
            // cyclically in (hole, next], so every remaining id stays reachable from its home position.
            int next = hole;
            while (true)
            {
                next = (next + 1) & _mask;
                int entry = _table[next];
                if (entry == 0)
                {
                    break;
                }

                int home = Hash(_ids[entry - 1], 0) & _mask;
                bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
                if (!stays)
                {
                    _table[hole] = entry;
                    hole = next;
                }
            }

            _table[hole] = 0;
        }

        private void LinkNewest(int slot)
        {
            _older[slot] = _newest;
            _newer[slot] = None;
            if (_newest != None)
            {
                _newer[_newest] = slot;
            }
            else
            {
                _oldest = slot;
            }

            _newest = slot;
        }

        private void Unlink(int slot)
        {
            int older = _older[slot];
            int newer = _newer[slot];
            if (older != None)
            {
                _newer[older] = newer;
            }
            else
            {
                _oldest = newer;
            }

            if (newer != None)
            {
                _older[newer] = older;
            }
            else
            {
                _newest = older;
            }
        }

        private static bool SameId(byte[] id, byte[] other, int offset)
        {
            for (int k = 0; k < ShardCacheLimits.ContentIdBytes; k++)
            {
                if (id[k] != other[offset + k])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>FNV-1a over the whole id (not a prefix, so ids sharing leading bytes still spread).</summary>
        private static int Hash(byte[] id, int offset)
        {
            uint h = 2166136261;
            for (int k = 0; k < ShardCacheLimits.ContentIdBytes; k++)
            {
                h = (h ^ id[offset + k]) * 16777619u;
            }

            return (int)(h ^ (h >> 16)) & 0x7FFFFFFF;
        }

        private static int FileHash(uint file)
        {
            uint h = file * 2654435761u;
            return (int)(h ^ (h >> 15)) & 0x7FFFFFFF;
        }
    }
}
