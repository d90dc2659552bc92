using AetherEdge.Core.Abstractions;

namespace AetherEdge.Simulation
{
    /// <summary>Thrown by <see cref="SimulatedSdCard"/> when the simulated power fails.</summary>
    public sealed class PowerCutException : IOException
    {
        public PowerCutException()
            : base("simulated power cut")
        {
        }
    }

    /// <summary>
    /// An SD card in memory with power cuts. <see cref="CutPowerAfterBytes"/> lets that many more bytes
    /// reach the card (a write crossing the limit is torn: only its prefix lands), then every operation
    /// throws until <see cref="PowerOn"/>. With <see cref="LoseUnflushedOnCut"/>, a cut also reverts every
    /// file to its content at its last Flush (a write cache that never reached the card).
    /// </summary>
    public sealed class SimulatedSdCard : IFileStorage
    {
        private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
        private readonly Dictionary<string, byte[]?> _flushed = new(StringComparer.Ordinal);
        private long _budget = long.MaxValue;
        private bool _off;

        public bool LoseUnflushedOnCut { get; set; }

        public long BytesWritten { get; private set; }

        public void CutPowerAfterBytes(long bytes) => _budget = bytes;

        public void PowerOn()
        {
            _off = false;
            _budget = long.MaxValue;
        }

        /// <summary>Flips bits of a stored file (media corruption).</summary>
        public void Corrupt(string name, int position) => _files[name][position] ^= 0x5A;

        public IReadOnlyDictionary<string, byte[]> Files => _files;

        public bool Exists(string name)
        {
            Check();
            return _files.ContainsKey(name);
        }

        public long Length(string name)
        {
            Check();
            return _files.TryGetValue(name, out var f) ? f.Length : 0;
        }

        public int Read(string name, long position, byte[] buffer, int offset, int count)
        {
            Check();
            if (!_files.TryGetValue(name, out var f) || position >= f.Length)
            {
                return 0;
            }

            int n = (int)Math.Min(count, f.Length - position);
            Array.Copy(f, position, buffer, offset, n);
            return n;
        }

        public void Write(string name, long position, byte[] buffer, int offset, int count)
        {
            Check();
            int allowed = (int)Math.Min(count, _budget);
            byte[] f = _files.TryGetValue(name, out var existing) ? existing : Array.Empty<byte>();
            if (!_flushed.ContainsKey(name))
            {
                _flushed[name] = null; // created but never flushed
            }

            long end = position + allowed;
            if (end > f.Length)
            {
                Array.Resize(ref f, (int)end);
            }

            Array.Copy(buffer, offset, f, position, allowed);
            _files[name] = f;
            _budget -= allowed;
            BytesWritten += allowed;
            if (allowed < count)
            {
                Cut();
            }
        }

        public void Truncate(string name, long length)
        {
            Check();
            byte[] f = _files.TryGetValue(name, out var existing) ? existing : Array.Empty<byte>();
            Array.Resize(ref f, (int)Math.Min(length, f.Length));
            _files[name] = f;
            if (!_flushed.ContainsKey(name))
            {
                _flushed[name] = null;
            }
        }

        public void Flush(string name)
        {
            Check();
            if (_files.TryGetValue(name, out var f))
            {
                _flushed[name] = (byte[])f.Clone();
            }
        }

        public void Delete(string name)
        {
            Check();
            _files.Remove(name);
            _flushed.Remove(name);
        }

        public string[] List()
        {
            Check();
            return _files.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        }

        private void Cut()
        {
            _off = true;
            if (LoseUnflushedOnCut)
            {
                foreach (var (name, snapshot) in _flushed.ToList())
                {
                    if (snapshot == null)
                    {
                        _files.Remove(name);
                        _flushed.Remove(name);
                    }
                    else
                    {
                        _files[name] = (byte[])snapshot.Clone();
                    }
                }
            }

            throw new PowerCutException();
        }

        private void Check()
        {
            if (_off)
            {
                throw new PowerCutException();
            }

            if (_budget <= 0 && _budget != long.MaxValue)
            {
                // The budget ran out exactly at the end of the previous write: the next operation finds no power.
                Cut();
            }
        }
    }
}
