namespace AetherEdge.Firmware.Beacon
{
    using System;
    using AetherEdge.Core.Abstractions;
    using AetherEdge.Core.Gatt;
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Shards on the SD card, least recently used evicted to stay within the allocation. Crash safety:
    /// a shard's data file is written and flushed before its journal record, eviction journals the
    /// removal before deleting, every journal record has its own CRC (a torn tail is ignored), the
    /// journal is double-buffered for compaction, unreferenced data files are deleted at mount, and every
    /// read re-checks the data CRC-32 — a shard that does not match is dropped, never served.
    /// Recency survives a reboot as journal order: puts are journaled and compaction writes oldest first;
    /// reads are not journaled (an SD write per read costs more than the order is worth), so after a reboot
    /// a shard read since the last compaction ranks by its put. The RAM index is <see cref="ShardIndex"/>
    /// (allocated once, O(1) per operation); storage calls are synchronous.
    /// </summary>
    public sealed class ShardCache
    {
        private readonly IFileStorage _storage;
        private readonly ShardIndex _index;
        private readonly byte[] _record = new byte[ShardCacheLimits.RecordBytes];
        private readonly byte[] _header = new byte[ShardCacheLimits.JournalHeaderBytes];
        private readonly byte[] _compactRecord = new byte[ShardCacheLimits.RecordBytes];
        private string _journal = ShardCacheLimits.JournalA;
        private uint _generation;
        private long _journalEnd;
        private int _journalRecords;
        private uint _nextFile = 1;

        /// <summary>Creates a cache over <paramref name="storage"/>; call <see cref="Mount"/> before use.</summary>
        public ShardCache(IFileStorage storage, long allocationBytes, int maxEntries)
        {
            if (allocationBytes < 1 || maxEntries < 1)
            {
                throw new ArgumentOutOfRangeException("allocationBytes");
            }

            _storage = storage;
            AllocationBytes = allocationBytes;
            _index = new ShardIndex(maxEntries);
        }

        /// <summary>Bytes this cache may use (its owner's allocation).</summary>
        public long AllocationBytes { get; }

        /// <summary>Bytes of shards held.</summary>
        public long UsedBytes
        {
            get { return _index.UsedBytes; }
        }

        /// <summary>Shards held.</summary>
        public int Count
        {
            get { return _index.Count; }
        }

        /// <summary>Shards evicted to make room.</summary>
        public long Evictions { get; private set; }

        /// <summary>Reads that found a CRC mismatch (the shard was dropped).</summary>
        public long CorruptReads { get; private set; }

        /// <summary>Data files without a journal record, deleted at mount (interrupted writes).</summary>
        public int OrphansRemoved { get; private set; }

        /// <summary>Journal records past the last intact one, ignored at mount (torn write).</summary>
        public bool TornTailFound { get; private set; }

        /// <summary>Rebuilds the index from the newest valid journal and cleans up after a crash.</summary>
        public void Mount()
        {
            _index.Clear();
            OrphansRemoved = 0;
            TornTailFound = false;
            uint genA = ReadGeneration(ShardCacheLimits.JournalA);
            uint genB = ReadGeneration(ShardCacheLimits.JournalB);
            if (genA == 0 && genB == 0)
            {
                _generation = 1;
                _journal = ShardCacheLimits.JournalA;
                _storage.Truncate(_journal, 0);
                JournalCodec.WriteHeader(_header, _generation);
                _storage.Write(_journal, 0, _header, 0, _header.Length);
                _storage.Flush(_journal);
                _journalEnd = ShardCacheLimits.JournalHeaderBytes;
                _journalRecords = 0;
            }
            else
            {
                bool useA = genA >= genB;
                _journal = useA ? ShardCacheLimits.JournalA : ShardCacheLimits.JournalB;
                _generation = useA ? genA : genB;
                Replay();
            }

            RemoveOrphans();
            while (UsedBytes > AllocationBytes && EvictOne())
            {
            }
        }

        /// <summary>True when the shard is cached.</summary>
        public bool Contains(byte[] contentId, int idOffset)
        {
            return _index.Find(contentId, idOffset) >= 0;
        }

        /// <summary>Length of a cached shard, or −1.</summary>
        public int LengthOf(byte[] contentId, int idOffset)
        {
            int i = _index.Find(contentId, idOffset);
            return i < 0 ? -1 : _index.LengthAt(i);
        }

        /// <summary>
        /// Stores a shard, evicting least recently used ones to fit. True when stored (or already held);
        /// false when it is larger than the allocation. Storage exceptions propagate (power loss, card gone).
        /// </summary>
        public bool TryPut(byte[] contentId, int idOffset, byte[] data, int offset, int length)
        {
            int existing = _index.Find(contentId, idOffset);
            if (existing >= 0)
            {
                _index.Touch(existing);
                return true;
            }

            if (length < 1 || length > AllocationBytes)
            {
                return false;
            }

            while ((UsedBytes + length > AllocationBytes || Count == _index.Capacity) && EvictOne())
            {
            }

            uint file = _nextFile++;
            string name = DataName(file);
            uint crc = Crc32.Compute(data, offset, length);
            _storage.Truncate(name, 0);
            _storage.Write(name, 0, data, offset, length);
            _storage.Flush(name);
            JournalCodec.WriteRecord(_record, JournalCodec.Put, contentId, idOffset, file, length, crc);
            Append();
            _index.Add(contentId, idOffset, file, length, crc);
            return true;
        }

        /// <summary>
        /// Copies a cached shard into <paramref name="destination"/> after checking its CRC-32. Returns its
        /// length, or −1 when missing, when <paramref name="destination"/> is too small, or when the stored bytes
        /// are damaged (the shard is then dropped from the cache).
        /// </summary>
        public int TryRead(byte[] contentId, int idOffset, byte[] destination, int offset)
        {
            int i = _index.Find(contentId, idOffset);
            if (i < 0 || destination.Length - offset < _index.LengthAt(i))
            {
                return -1;
            }

            int length = _index.LengthAt(i);
            int read = _storage.Read(DataName(_index.FileAt(i)), 0, destination, offset, length);
            if (read != length || Crc32.Compute(destination, offset, read) != _index.CrcAt(i))
            {
                CorruptReads++;
                RemoveAt(i);
                return -1;
            }

            _index.Touch(i);
            return read;
        }

        /// <summary>Drops a shard; true when it was cached.</summary>
        public bool Remove(byte[] contentId, int idOffset)
        {
            int i = _index.Find(contentId, idOffset);
            if (i < 0)
            {
                return false;
            }

            RemoveAt(i);
            return true;
        }

        private bool EvictOne()
        {
            int victim = _index.Oldest;
            if (victim < 0)
            {
                return false;
            }

            Evictions++;
            RemoveAt(victim);
            return true;
        }

        private void RemoveAt(int i)
        {
            uint file = _index.FileAt(i);
            JournalCodec.WriteRecord(_record, JournalCodec.Remove, _index.IdAt(i), 0, file, _index.LengthAt(i), _index.CrcAt(i));
            Append();
            _index.Remove(i);
            _storage.Delete(DataName(file));
        }

        private void Append()
        {
            if (_journalRecords >= (4 * _index.Capacity) + 16)
            {
                Compact();
            }

            _storage.Write(_journal, _journalEnd, _record, 0, _record.Length);
            _storage.Flush(_journal);
            _journalEnd += _record.Length;
            _journalRecords++;
        }

        /// <summary>
        /// Writes the live entries to the other journal, oldest first so a later replay rebuilds the same
        /// recency order, then its header (the switch point).
        /// </summary>
        private void Compact()
        {
            string other = _journal == ShardCacheLimits.JournalA ? ShardCacheLimits.JournalB : ShardCacheLimits.JournalA;
            _storage.Truncate(other, 0);
            long end = ShardCacheLimits.JournalHeaderBytes;
            int records = 0;
            byte[] scratch = _compactRecord;
            for (int i = _index.Oldest; i >= 0; i = _index.NewerThan(i))
            {
                JournalCodec.WriteRecord(scratch, JournalCodec.Put, _index.IdAt(i), 0, _index.FileAt(i), _index.LengthAt(i), _index.CrcAt(i));
                _storage.Write(other, end, scratch, 0, scratch.Length);
                end += scratch.Length;
                records++;
            }

            _storage.Flush(other);
            JournalCodec.WriteHeader(_header, _generation + 1);
            _storage.Write(other, 0, _header, 0, _header.Length);
            _storage.Flush(other);
            _generation++;
            _journal = other;
            _journalEnd = end;
            _journalRecords = records;
        }

        private void Replay()
        {
            long position = ShardCacheLimits.JournalHeaderBytes;
            long length = _storage.Length(_journal);
            _journalRecords = 0;
            while (position + ShardCacheLimits.RecordBytes <= length)
            {
                int read = _storage.Read(_journal, position, _record, 0, _record.Length);
                if (!JournalCodec.IsValidRecord(_record, read))
                {
                    break;
                }

                uint file = NetworkOrder.ReadUInt32(_record, 33);
                int i = _index.Find(_record, 1);
                if (_record[0] == JournalCodec.Put)
                {
                    if (i < 0)
                    {
                        _index.Add(_record, 1, file, (int)NetworkOrder.ReadUInt32(_record, 37), NetworkOrder.ReadUInt32(_record, 41));
                    }
                }
                else if (i >= 0 && _index.FileAt(i) == file)
                {
                    _index.Remove(i);
                }

                if (file >= _nextFile)
                {
                    _nextFile = file + 1;
                }

                position += ShardCacheLimits.RecordBytes;
                _journalRecords++;
            }

            if (position < length)
            {
                TornTailFound = true;
                _storage.Truncate(_journal, position);
                _storage.Flush(_journal);
            }

            _journalEnd = position;
        }

        /// <summary>Deletes data files no entry references, comparing parsed file numbers (no name built per entry).</summary>
        private void RemoveOrphans()
        {
            _index.IndexFileNumbers();
            string[] names = _storage.List();
            for (int n = 0; n < names.Length; n++)
            {
                string name = names[n];
                if (name.Length < 2 || name[0] != ShardCacheLimits.DataPrefix[0])
                {
                    continue;
                }

                uint number = ParseNumber(name);
                if (number == 0 || !_index.HoldsFile(number))
                {
                    _storage.Delete(name);
                    OrphansRemoved++;
                }

                if (number >= _nextFile)
                {
                    _nextFile = number + 1;
                }
            }
        }

        private uint ReadGeneration(string name)
        {
            if (!_storage.Exists(name))
            {
                return 0;
            }

            int read = _storage.Read(name, 0, _header, 0, _header.Length);
            return JournalCodec.ReadHeader(_header, read);
        }

        /// <summary>Decimal file number of a data-file name, or 0 when it is not one (not digits, or out of range).</summary>
        private static uint ParseNumber(string name)
        {
            if (name.Length > 11)
            {
                return 0;
            }

            ulong value = 0;
            for (int i = 1; i < name.Length; i++)
            {
                char c = name[i];
                if (c < '0' || c > '9')
                {
                    return 0;
                }

                value = (value * 10) + (uint)(c - '0');
            }

            return value > uint.MaxValue ? 0 : (uint)value;
        }

        private static string DataName(uint file)
        {
            return ShardCacheLimits.DataPrefix + file.ToString();
        }
    }
}
