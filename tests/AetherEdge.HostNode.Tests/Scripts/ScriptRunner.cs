using System.Diagnostics;

namespace AetherEdge.HostNode.Tests.Scripts
{
    /// <summary>Finds the repository's flash-scripts and runs real processes (bash, shellcheck) with a time limit.</summary>
    internal static class ScriptRunner
    {
        private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

        public static string RepoRoot { get; } = FindRepoRoot();

        public static string ScriptsDir => Path.Combine(RepoRoot, "flash-scripts");

        public static string Script(string name) => Path.Combine(ScriptsDir, name);

        public static string[] ShellScripts() => Directory.GetFiles(ScriptsDir, "*.sh").OrderBy(p => p, StringComparer.Ordinal).ToArray();

        public static string? Which(string program)
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(dir, program);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        public static ProcessResult Bash(string script, params string[] args) => Run("bash", new[] { script }.Concat(args).ToArray(), null);

        public static ProcessResult BashWithPath(string path, string script, params string[] args) =>
            Run("bash", new[] { script }.Concat(args).ToArray(), new Dictionary<string, string> { ["PATH"] = path });

        public static ProcessResult Run(string program, string[] args, IDictionary<string, string>? environment = null)
        {
            var info = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment.Remove("NANOFF");
            if (environment is not null)
            {
                foreach (KeyValuePair<string, string> pair in environment)
                {
                    info.Environment[pair.Key] = pair.Value;
                }
            }

            using Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + program);
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(program + " " + string.Join(' ', args) + " did not finish in " + s_timeout);
            }

            return new ProcessResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }

        private static string FindRepoRoot()
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "flash-scripts")) && File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("repository root with flash-scripts/ not found above " + AppContext.BaseDirectory);
        }
    }

    internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);
}
