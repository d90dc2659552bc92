namespace AetherEdge.Core.Abstractions
{
    /// <summary>
    /// Flat file storage as a beacon's SD card offers it (FAT, short names, no atomic rename relied on).
    /// Implementations: System.IO.FileSystem on nanoFramework, a simulated SD card with power cuts in tests.
    /// A write that returns has reached the medium once <see cref="Flush"/> returns.
    /// </summary>
    public interface IFileStorage
    {
        /// <summary>True when <paramref name="name"/> exists.</summary>
        bool Exists(string name);

        /// <summary>Length of <paramref name="name"/> in bytes (0 when missing).</summary>
        long Length(string name);

        /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="position"/>; returns the bytes read.</summary>
        int Read(string name, long position, byte[] buffer, int offset, int count);

        /// <summary>Writes at <paramref name="position"/>, creating or extending the file.</summary>
        void Write(string name, long position, byte[] buffer, int offset, int count);

        /// <summary>Cuts the file to <paramref name="length"/> bytes, creating it (empty) when missing.</summary>
        void Truncate(string name, long length);

        /// <summary>Makes every earlier write to <paramref name="name"/> durable.</summary>
        void Flush(string name);

        /// <summary>Deletes <paramref name="name"/> if it exists.</summary>
        void Delete(string name);

        /// <summary>Names of every file (for orphan cleanup at mount).</summary>
        string[] List();
    }
}
