using AetherEdge.HostNode.Cli;
using AetherEdge.HostNode.Verbs;

namespace AetherEdge.HostNode.Tests
{
    /// <summary>
    /// Real `aether hub` runs in this process under one temporary root: homes by name, the CLI on them, each
    /// hub's log kept for failure messages. Dispose stops every hub (waiting for its exit) and removes the root.
    /// </summary>
    internal sealed class HubRuns : IDisposable
    {
        private readonly List<(CancellationTokenSource Stop, Task<int> Run, StringWriter Log)> _hubs = new();

        public HubRuns(string prefix)
        {
            Root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        }

        public string Root { get; }

        /// <summary>Every hub's log so far, for an assertion's message, with the state of each run.</summary>
        public string Logs => string.Join("\n---\n", _hubs.Select(h => h.Run.Status + "\n" + h.Log));

        public string Home(string name) => Path.Combine(Root, name);

        public string Id(string name) => CliRunner.Run("id", "--home", Home(name)).Out.Trim();

        public string Status(string name) => CliRunner.Run("status", "--home", Home(name)).Out;

        /// <summary>Runs `aether ARGS` (a hub) until disposed or <paramref name="bound"/> passes.</summary>
        public Task<int> Start(TimeSpan bound, params string[] args)
        {
            var stop = new CancellationTokenSource(bound);
            // The text is read through the StringWriter (ToString of the synchronized wrapper is its type name).
            var text = new StringWriter();
            var log = TextWriter.Synchronized(text);
            var run = Task.Run(() => AetherCommand.Run(args, new CliContext(log, log, stop.Token)));
            _hubs.Add((stop, run, text));
            return run;
        }

        /// <summary>Stops the hub <paramref name="run"/> (as Ctrl+C does) and waits for it to exit.</summary>
        public async Task StopAsync(Task<int> run)
        {
            _hubs.Single(h => h.Run == run).Stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        /// <summary>
        /// Polls <paramref name="condition"/> every 100 ms for up to <paramref name="seconds"/>; true as soon as it held
        /// once (not evaluated again: the state may have moved on since).
        /// </summary>
        public static async Task<bool> Eventually(Func<bool> condition, int seconds)
        {
            for (int i = 0; i < seconds * 10; i++)
            {
                if (condition())
                {
                    return true;
                }

                await Task.Delay(100);
            }

            return condition();
        }

        public void Dispose()
        {
            foreach (var h in _hubs)
            {
                h.Stop.Cancel();
            }

            foreach (var h in _hubs)
            {
                h.Run.Wait(TimeSpan.FromSeconds(30));
                h.Stop.Dispose();
            }

            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, true);
            }
        }
    }
}
