using System.Diagnostics;

namespace AetherEdge.Fuzz
{
    /// <summary>What one run of one target tried and found.</summary>
    public sealed class FuzzReport
    {
        public FuzzReport(string target)
        {
            Target = target;
        }

        public string Target { get; }

        public long Inputs { get; set; }

        public long Accepted { get; set; }

        public long Rejected { get; set; }

        public long CrashCount { get; set; }

        public long HangCount { get; set; }

        /// <summary>The first few crashing and hanging inputs (distinct by exception type and throwing method).</summary>
        public List<FuzzFinding> Findings { get; } = new();

        public TimeSpan Elapsed { get; set; }

        public double SlowestInputMs { get; set; }

        public override string ToString() =>
            $"{Target}: {Inputs} inputs ({Accepted} accepted, {Rejected} rejected), {CrashCount} crashes, {HangCount} hangs, " +
            $"{Elapsed.TotalSeconds:F1} s ({(Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9)):F0}/s), slowest input {SlowestInputMs:F1} ms";
    }

    /// <summary>A crashing or hanging input.</summary>
    public sealed class FuzzFinding
    {
        public FuzzFinding(string kind, byte[] input, string description)
        {
            Kind = kind;
            Input = input;
            Description = description;
        }

        public string Kind { get; }

        public byte[] Input { get; }

        public string Description { get; }
    }

    /// <summary>
    /// Runs a target over its seeds and then mutated inputs. Each input runs on a worker thread under a
    /// wall-clock bound: an input that takes longer is a hang (if it never returns, the worker is abandoned and
    /// the run ends there, so a real infinite loop cannot stall the caller).
    /// </summary>
    public static class FuzzRunner
    {
        private const int PoolLimit = 512;
        private const int StoredFindings = 10;

        public static FuzzReport Run(FuzzTarget target, long inputs, int seed, TimeSpan hangBound, int maxLength = 9000)
        {
            var report = new FuzzReport(target.Name);
            byte[][] seeds = target.Seeds();
            if (seeds.Length == 0)
            {
                throw new InvalidOperationException(target.Name + " has no seeds");
            }

            var signatures = new HashSet<string>(StringComparer.Ordinal);
            byte[]? current = null;
            long startedTicks = 0;
            bool done = false;
            var clock = Stopwatch.StartNew();
            Exception? workerError = null;

            void Loop()
            {
                var random = new Random(seed);
                var mutator = new Mutator(random, maxLength);
                var pool = new List<byte[]>(seeds);
                for (long i = 0; i < inputs + seeds.Length && !Volatile.Read(ref done); i++)
                {
                    byte[] input = i < seeds.Length ? seeds[i] : mutator.Next(target, pool);
                    Volatile.Write(ref current, input);
                    long start = Stopwatch.GetTimestamp();
                    Volatile.Write(ref startedTicks, start);
                    string? failure = null;
                    bool accepted = false;
                    try
                    {
                        accepted = target.Execute(input);
                    }
                    catch (Exception e) when (target.IsDocumentedRejection(e))
                    {
                    }
                    catch (Exception e)
                    {
                        failure = e.GetType().Name + " in " + (e.TargetSite?.DeclaringType?.Name + "." + e.TargetSite?.Name) + ": " + e.Message;
                        lock (report)
                        {
                            report.CrashCount++;
                            if (signatures.Add(e.GetType().FullName + "@" + e.TargetSite) && report.Findings.Count < StoredFindings)
                            {
                                report.Findings.Add(new FuzzFinding("crash", input, failure + "\n" + e.StackTrace));
                            }
                        }
                    }

                    double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    Volatile.Write(ref startedTicks, 0);
                    lock (report)
                    {
                        report.Inputs++;
                        report.SlowestInputMs = Math.Max(report.SlowestInputMs, ms);
                        if (i < seeds.Length && !accepted && failure == null)
                        {
                            throw new InvalidOperationException(target.Name + " rejects its own seed " + i + ": " + Convert.ToHexString(input));
                        }

                        if (failure != null)
                        {
                            // counted above
                        }
                        else if (accepted)
                        {
                            report.Accepted++;
                        }
                        else
                        {
                            report.Rejected++;
                        }

                        if (ms > hangBound.TotalMilliseconds)
                        {
                            report.HangCount++;
                            if (report.Findings.Count < StoredFindings)
                            {
                                report.Findings.Add(new FuzzFinding("hang", input, $"took {ms:F0} ms (bound {hangBound.TotalMilliseconds:F0} ms)"));
                            }
                        }
                    }

                    if (accepted && i >= seeds.Length)
                    {
                        if (pool.Count < PoolLimit)
                        {
                            pool.Add(input);
                        }
                        else
                        {
                            pool[seeds.Length + random.Next(PoolLimit - seeds.Length)] = input;
                        }
                    }
                }
            }

            var worker = new Thread(() =>
            {
                try
                {
                    Loop();
                }
                catch (Exception e)
                {
                    workerError = e;
                }
            })
            { IsBackground = true, Name = "fuzz " + target.Name };
            worker.Start();
            while (!worker.Join(50))
            {
                long started = Volatile.Read(ref startedTicks);
                if (started != 0 && Stopwatch.GetElapsedTime(started) > hangBound * 4)
                {
                    // Never returned: report it and leave the thread behind.
                    Volatile.Write(ref done, true);
                    lock (report)
                    {
                        report.HangCount++;
                        report.Findings.Add(new FuzzFinding("hang", Volatile.Read(ref current) ?? Array.Empty<byte>(), "did not return within " + (hangBound * 4).TotalMilliseconds + " ms"));
                    }

                    break;
                }
            }

            report.Elapsed = clock.Elapsed;
            if (workerError != null)
            {
                throw new InvalidOperationException(target.Name + ": " + workerError.Message, workerError);
            }

            return report;
        }

        /// <summary>Every target in this assembly (one class per file in Targets/), by name.</summary>
        public static FuzzTarget[] AllTargets() =>
            typeof(FuzzTarget).Assembly.GetTypes()
                .Where(t => t.IsSubclassOf(typeof(FuzzTarget)) && !t.IsAbstract)
                .Select(t => (FuzzTarget)Activator.CreateInstance(t)!)
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToArray();
    }
}
