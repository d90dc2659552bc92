using System.CommandLine;
using System.Security.Cryptography;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Home;
using AetherEdge.HostNode.Shards;
using AetherEdge.HostNode.Storage;
using Spectre.Console;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>What the verbs on a home share: opening and checking it, the store, optional progress bars.</summary>
    internal static class StoreVerbSupport
    {
        /// <summary>
        /// An initialised home, or a one-line refusal (exit 2) that creates nothing: a path naming a file,
        /// or a home that <c>aether init</c> never made. With <paramref name="writes"/>, also refuses (exit 1)
        /// a home this process cannot write.
        /// </summary>
        public static NodeHome OpenHome(SharedOptions shared, ParseResult parse, bool writes)
        {
            string path = shared.HomePath(parse);
            RefuseFileAsHome(path);
            NodeHome home;
            try
            {
                home = NodeHome.Open(path);
            }
            catch (HomeException e)
            {
                throw new UsageException(e.Message);
            }

            if (writes)
            {
                EnsureWritable(path);
            }

            return home;
        }

        /// <summary>Refuses (exit 2) a home path that is, or lies below, a regular file.</summary>
        public static void RefuseFileAsHome(string path)
        {
            for (string? p = path; p != null; p = Path.GetDirectoryName(p))
            {
                if (File.Exists(p))
                {
                    throw new UsageException(p == path ? "home " + path + " is a file, not a directory" : "home " + path + " lies below " + p + ", which is a file");
                }

                if (Directory.Exists(p))
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Fails in one line (exit 1) unless a file can be created in the home, or for a home not yet
        /// created, in the directory it will be created in: read-only file system, immutable, no permission.
        /// </summary>
        public static void EnsureWritable(string path)
        {
            string dir = path;
            while (!Directory.Exists(dir))
            {
                string? parent = Path.GetDirectoryName(dir);
                if (parent == null)
                {
                    return;
                }

                dir = parent;
            }

            string? problem = WriteProblem(dir);
            if (problem != null)
            {
                throw new IOException(dir == path
                    ? "home " + path + " is not writable (" + problem + ")"
                    : "cannot create home " + path + ": " + dir + " is not writable (" + problem + ")");
            }
        }

        public static ShardStore OpenStore(NodeHome home, CliContext context, bool verifyHashes = false, bool reconcile = true) =>
            ShardStore.Open(home.Path, home.AllocationBytes, verifyHashes, context.Error, reconcile: reconcile ? ShardStore.OpenReconcile.Full : ShardStore.OpenReconcile.None);

        public static UserKeys Keys(NodeHome home)
        {
            try
            {
                return new UserKeys(home.ReadUserKey());
            }
            catch (HomeException e)
            {
                throw new UsageException(e.Message);
            }
        }

        /// <summary>Runs <paramref name="work"/> with a progress bar when attached to a terminal and not --json.</summary>
        public static T WithProgress<T>(CliContext context, bool json, string label, long total, Func<Action<long>?, T> work)
        {
            if (json || !context.IsInteractive)
            {
                return work(null);
            }

            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
                    result = work(done => task.Value = done);
                    task.Value = task.MaxValue;
                });
            return result;
        }

        private static string? WriteProblem(string dir)
        {
            string probe = Path.Combine(dir, ".aether-write-probe-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }

                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return "permission denied";
            }
            catch (IOException e)
            {
                // .NET words errno as "<strerror> : '<path>'"; the reason is the part before the path.
                int cut = e.Message.IndexOf(" : '", StringComparison.Ordinal);
                return (cut > 0 ? e.Message.Substring(0, cut) : e.Message).ToLowerInvariant();
            }
        }
    }
}
