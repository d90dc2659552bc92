namespace AetherEdge.Firmware.Glue
{
    using System.IO;
    using AetherEdge.Core.Abstractions;

    /// <summary>
    /// <see cref="IFileStorage"/> on the ESP32's SD card (System.IO.FileSystem, FAT). One directory,
    /// short names; a FileStream is opened per call so a power cut never leaves a handle's buffer unflushed
    /// for long. nanoFramework only (compiled by the nfproj and the NanoCheck project).
    /// </summary>
    public sealed class SdCardStorage : IFileStorage
    {
        private readonly string _root;

        /// <summary>Uses (and creates) <paramref name="directory"/>, e.g. "D:\\aether".</summary>
        public SdCardStorage(string directory)
        {
            _root = directory;
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        /// <inheritdoc/>
        public bool Exists(string name)
        {
            return File.Exists(PathOf(name));
        }

        /// <inheritdoc/>
        public long Length(string name)
        {
            if (!File.Exists(PathOf(name)))
            {
                return 0;
            }

            using (FileStream stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read))
            {
                return stream.Length;
            }
        }

        /// <inheritdoc/>
        public int Read(string name, long position, byte[] buffer, int offset, int count)
        {
            if (!File.Exists(PathOf(name)))
            {
                return 0;
            }

            using (FileStream stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.Read))
            {
                if (position >= stream.Length)
                {
                    return 0;
                }

                stream.Seek(position, SeekOrigin.Begin);
                int total = 0;
                while (total < count)
                {
                    int n = stream.Read(buffer, offset + total, count - total);
                    if (n <= 0)
                    {
                        break;
                    }

                    total += n;
                }

                return total;
            }
        }

        /// <inheritdoc/>
        public void Write(string name, long position, byte[] buffer, int offset, int count)
        {
            using (FileStream stream = new FileStream(PathOf(name), FileMode.OpenOrCreate, FileAccess.ReadWrite))
            {
                stream.Seek(position, SeekOrigin.Begin);
                stream.Write(buffer, offset, count);
            }
        }

        /// <inheritdoc/>
        public void Truncate(string name, long length)
        {
            using (FileStream stream = new FileStream(PathOf(name), FileMode.OpenOrCreate, FileAccess.ReadWrite))
            {
                if (stream.Length > length)
                {
                    stream.SetLength(length);
                }
            }
        }

        /// <inheritdoc/>
        public void Flush(string name)
        {
            if (!File.Exists(PathOf(name)))
            {
                return;
            }

            using (FileStream stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Flush();
            }
        }

        /// <inheritdoc/>
        public void Delete(string name)
        {
            if (File.Exists(PathOf(name)))
            {
                File.Delete(PathOf(name));
            }
        }

        /// <inheritdoc/>
        public string[] List()
        {
            string[] paths = Directory.GetFiles(_root);
            string[] names = new string[paths.Length];
            for (int i = 0; i < paths.Length; i++)
            {
                names[i] = Path.GetFileName(paths[i]);
            }

            return names;
        }

        private string PathOf(string name)
        {
            return Path.Combine(_root, name);
        }
    }
}
