using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AetherEdge.HostNode.Storage
{
    /// <summary>
    /// One durable flush for many small files: Linux's <c>syncfs(2)</c> writes back every dirty page and inode of
    /// the file system a handle lies on. A group of 1,000 shard files of 30 bytes cost 1,000 fsyncs (each a journal
    /// commit); it costs one syncfs. Elsewhere (or when the call fails) the caller falls back to fsync per file.
    /// </summary>
    internal static class FileSystemSync
    {
        /// <summary>Files in a commit group from which one syncfs replaces their fsyncs (fewer: per-file fsync is cheaper than flushing the file system).</summary>
        public const int MinFiles = 64;

        private static long s_flushes;

        /// <summary>Successful file-system flushes by this process (counted by the tests: one per group step, not one per file).</summary>
        public static long Flushes => Interlocked.Read(ref s_flushes);

        /// <summary>Flushes the file system of <paramref name="handle"/>; false when not available or it failed.</summary>
        public static bool TrySync(SafeFileHandle handle)
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return Counted(syncfs((int)handle.DangerousGetHandle()) == 0);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>Flushes the file system holding <paramref name="directory"/>; false when not available or it failed.</summary>
        public static bool TrySync(string directory)
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            // .NET opens no directory handle: open(2) it read-only (O_RDONLY = 0, O_CLOEXEC).
            int fd;
            try
            {
                fd = open(directory, OpenReadOnlyCloseOnExec);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }

            if (fd < 0)
            {
                return false;
            }

            try
            {
                return Counted(syncfs(fd) == 0);
            }
            finally
            {
                close(fd);
            }
        }

        private static bool Counted(bool ok)
        {
            if (ok)
            {
                Interlocked.Increment(ref s_flushes);
            }

            return ok;
        }

        private const int OpenReadOnlyCloseOnExec = 0x80000;

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int syncfs(int fd);
    }
}
