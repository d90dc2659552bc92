using System.Globalization;

namespace AetherEdge.Fuzz
{
    /// <summary>
    /// <code>
    /// dotnet run -c Release --project tests/AetherEdge.Fuzz -- [--target NAME]... [--inputs N] [--seed S]
    ///     [--hang-ms MS] [--parallel P] [--out DIR] | --list | --replay NAME FILE
    /// </code>
    /// Runs each target (all by default) for N mutated inputs after its seeds, prints one report line per target
    /// and a Markdown table, writes crashing and hanging inputs to DIR (default artifacts/fuzz), and exits 1 when
    /// anything crashed or hung, 2 on bad arguments.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var names = new List<string>();
            long inputs = 100_000;
            int seed = 1;
            int hangMs = 1000;
            int parallel = Environment.ProcessorCount;
            string outDir = Path.Combine("artifacts", "fuzz");
            var targets = FuzzRunner.AllTargets();
            try
            {
                for (int i = 0; i < args.Length; i++)
                {
                    string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException("option " + args[i] + " needs a value");
                    switch (args[i])
                    {
                        case "--target": names.Add(Value()); break;
                        case "--inputs": inputs = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                        case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                        case "--hang-ms": hangMs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                        case "--parallel": parallel = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                        case "--out": outDir = Value(); break;
                        case "--list":
                            foreach (var t in targets)
                            {
                                Console.WriteLine(t.Name + "\t" + t.Source);
                            }

                            return 0;
                        case "--replay":
                            return Replay(Find(targets, Value()), Value());
                        default: throw new FormatException("unknown option " + args[i]);
                    }
                }

                if (inputs < 0 || hangMs <= 0 || parallel <= 0)
                {
                    throw new FormatException("--inputs, --hang-ms and --parallel must be positive");
                }

                if (names.Count > 0)
                {
                    targets = names.Select(n => Find(targets, n)).ToArray();
                }
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine("aether-fuzz: " + e.Message);
                return 2;
            }

            var reports = new FuzzReport[targets.Length];
            Parallel.For(0, targets.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i =>
            {
                reports[i] = FuzzRunner.Run(targets[i], inputs, seed + i, TimeSpan.FromMilliseconds(hangMs));
                Console.WriteLine(reports[i]);
            });

            Console.WriteLine();
            Console.WriteLine("| target | reads | inputs | accepted | rejected | crashes | hangs | seconds |");
            Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (int i = 0; i < targets.Length; i++)
            {
                var r = reports[i];
                Console.WriteLine($"| `{r.Target}` | {targets[i].Source} | {r.Inputs:N0} | {r.Accepted:N0} | {r.Rejected:N0} | {r.CrashCount} | {r.HangCount} | {r.Elapsed.TotalSeconds:F0} |");
            }

            bool bad = false;
            foreach (var r in reports)
            {
                foreach (var f in r.Findings)
                {
                    bad = true;
                    Directory.CreateDirectory(outDir);
                    string file = Path.Combine(outDir, r.Target + "-" + f.Kind + "-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(f.Input), 0, 6) + ".bin");
                    File.WriteAllBytes(file, f.Input);
                    Console.WriteLine($"{f.Kind} in {r.Target} ({file}): {f.Description}");
                }
            }

            return bad || reports.Any(r => r.CrashCount > 0 || r.HangCount > 0) ? 1 : 0;
        }

        private static FuzzTarget Find(FuzzTarget[] targets, string name) =>
            targets.FirstOrDefault(t => t.Name == name)
            ?? throw new FormatException("unknown target '" + name + "' (see --list)");

        private static int Replay(FuzzTarget target, string file)
        {
            byte[] input = File.ReadAllBytes(file);
            try
            {
                Console.WriteLine(target.Execute(input) ? "accepted" : "rejected");
                return 0;
            }
            catch (Exception e) when (target.IsDocumentedRejection(e))
            {
                Console.WriteLine("rejected: " + e.Message);
                return 0;
            }
            catch (Exception e)
            {
                Console.WriteLine("crash: " + e);
                return 1;
            }
        }
    }
}
