using System.Globalization;
using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Files;

namespace AetherEdge.HostNode.Verbs
{
    /// <summary>Turning what a user typed (a name, a file id or an id prefix) into one file, or a one-line refusal.</summary>
    internal static class FileVerbSupport
    {
        /// <summary>Candidates named in an ambiguity refusal before "and N more".</summary>
        public const int MaxCandidatesShown = 5;

        /// <summary>The one file <paramref name="nameOrId"/> means, or a usage error (exit 2) naming the candidates.</summary>
        public static FileEntry Resolve(FileCatalog catalog, string nameOrId, string verb)
        {
            if (nameOrId.Length == 0)
            {
                throw new UsageException(verb + " needs a file name or id (aether ls lists them)");
            }

            var found = catalog.Find(nameOrId);
            if (found.Count == 1)
            {
                return found[0];
            }

            if (found.Count == 0)
            {
                throw new UsageException("no file named '" + nameOrId + "' here (aether ls lists your files; a file id works too)");
            }

            var shown = found.Take(MaxCandidatesShown).Select(Describe);
            throw new UsageException("'" + nameOrId + "' is ambiguous: " + found.Count + " files match: " + string.Join("; ", shown) +
                (found.Count > MaxCandidatesShown ? "; and " + (found.Count - MaxCandidatesShown) + " more" : string.Empty) +
                "; give the file id");
        }

        public static string Describe(FileEntry f) =>
            f.FileId + " " + (f.Name ?? "(no name)") + " " + SizeText.Format(f.Bytes) + " put " +
            f.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
    }
}
