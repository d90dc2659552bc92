namespace System.IO
{
    // nanoframework/System.IO.FileSystem main (package nanoFramework.System.IO.FileSystem, assembly System.IO.FileSystem):
    // System.IO.FileSystem/{File,Directory,Path,FileStream,FileMode,FileAccess,FileShare,FileAttributes,
    // FileSystemInfo,DirectoryInfo,FileInfo}.cs. Not declared: File.AppendText/OpenText (StreamWriter/StreamReader),
    // Path.HasExtension/IsPathRooted (NotNullWhen), DriveInfo.
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    [Flags]
    public enum FileShare
    {
        None = 0,
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    [Flags]
    public enum FileAttributes
    {
        ReadOnly = 0x1,
        Hidden = 0x2,
        System = 0x4,
        Directory = 0x10,
        Archive = 0x20,
        Normal = 0x80,
    }

    public static class File
    {
        public static void AppendAllText(string path, string contents) { }
        public static void Copy(string sourceFileName, string destFileName) { }
        public static void Copy(string sourceFileName, string destFileName, bool overwrite) { }
        public static FileStream Create(string path) => throw null;
        public static FileStream Create(string path, int bufferSize) => throw null;
        public static void Delete(string path) { }
        public static bool Exists(string path) => throw null;
        public static FileAttributes GetAttributes(string path) => throw null;
        public static void Move(string sourceFileName, string destFileName) { }
        public static FileStream Open(string path, FileMode mode) => throw null;
        public static FileStream Open(string path, FileMode mode, FileAccess access) => throw null;
        public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share) => throw null;
        public static FileStream OpenRead(string path) => throw null;
        public static FileStream OpenWrite(string path) => throw null;
        public static byte[] ReadAllBytes(string path) => throw null;
        public static string ReadAllText(string path) => throw null;
        public static void SetAttributes(string path, FileAttributes fileAttributes) { }
        public static void WriteAllBytes(string path, byte[] bytes) { }
        public static void WriteAllText(string path, string contents) { }
    }

    public static class Directory
    {
        public static DirectoryInfo CreateDirectory(string path) => throw null;
        public static void Delete(string path) { }
        public static void Delete(string path, bool recursive) { }
        public static bool Exists(string path) => throw null;
        public static string GetCurrentDirectory() => throw null;
        public static string[] GetFiles(string path) => throw null;
        public static string[] GetDirectories(string path) => throw null;
        public static void Move(string sourceDirName, string destDirName) { }
        public static void SetCurrentDirectory(string path) { }
    }

    public static class Path
    {
        public static readonly char DirectorySeparatorChar;
        public static readonly char AltDirectorySeparatorChar;
        public static readonly char VolumeSeparatorChar;
        public static readonly char PathSeparator;
        public static string ChangeExtension(string path, string extension) => throw null;
        public static string Combine(string path1, string path2) => throw null;
        public static string GetDirectoryName(string path) => throw null;
        public static string GetExtension(string path) => throw null;
        public static string GetFileName(string path) => throw null;
        public static string GetFileNameWithoutExtension(string path) => throw null;
        public static string GetFullPath(string path) => throw null;
        public static char[] GetInvalidFileNameChars() => throw null;
        public static char[] GetInvalidPathChars() => throw null;
        public static string GetPathRoot(string path) => throw null;
    }

    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode) { }
        public FileStream(string path, FileMode mode, FileAccess access) { }
        public FileStream(string path, FileMode mode, FileAccess access, FileShare share) { }
        public FileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize) { }
        public override bool CanRead => throw null;
        public override bool CanSeek => throw null;
        public override bool CanWrite => throw null;
        public override long Length => throw null;
        public override long Position { get => throw null; set { } }
        public string Name => throw null;
        public override void Close() { }
        protected override void Dispose(bool disposing) { }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw null;
        public override int Read(SpanByte buffer) => throw null;
        public override int ReadByte() => throw null;
        public override long Seek(long offset, SeekOrigin origin) => throw null;
        public override void SetLength(long value) { }
        public override void Write(byte[] buffer, int offset, int count) { }
        public override void WriteByte(byte value) { }
    }

    public abstract class FileSystemInfo : MarshalByRefObject
    {
        public FileAttributes Attributes => throw null;
        public virtual string FullName => throw null;
        public string Extension => throw null;
        public abstract bool Exists { get; }
        public abstract string Name { get; }
        public abstract void Delete();
        public virtual void Refresh() { }
        protected abstract void HandleRefreshError();
    }

    public sealed class DirectoryInfo : FileSystemInfo
    {
        public DirectoryInfo(string path) { }
        public override string Name => throw null;
        public override bool Exists => throw null;
        public DirectoryInfo Root => throw null;
        public DirectoryInfo Parent => throw null;
        public void Create() { }
        public DirectoryInfo CreateSubdirectory(string path) => throw null;
        public FileInfo[] GetFiles() => throw null;
        public DirectoryInfo[] GetDirectories() => throw null;
        public void MoveTo(string destDirName) { }
        public override void Delete() { }
        public void Delete(bool recursive) { }
        protected override void HandleRefreshError() { }
        public override string ToString() => throw null;
    }

    public sealed class FileInfo : FileSystemInfo
    {
        public FileInfo(string fileName) { }
        public override string Name => throw null;
        public long Length => throw null;
        public string DirectoryName => throw null;
        public DirectoryInfo Directory => throw null;
        public FileStream Create() => throw null;
        public override void Delete() { }
        public override bool Exists => throw null;
        protected override void HandleRefreshError() { }
        public override string ToString() => throw null;
    }
}
