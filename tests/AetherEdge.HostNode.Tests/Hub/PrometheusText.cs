using System.Diagnostics;
using System.Text.Json;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>
    /// Prometheus text parsed by the Prometheus project's own Python client (python3-prometheus-client),
    /// not by us: a family's declared TYPE and every sample as (name, labels, value). The client names a
    /// counter family without its "_total"; samples keep it.
    /// </summary>
    internal sealed class PrometheusText
    {
        private const string Parser =
            "import sys, json\n" +
            "from prometheus_client.parser import text_string_to_metric_families\n" +
            "out = []\n" +
            "for f in text_string_to_metric_families(sys.stdin.read()):\n" +
            "    out.append({'name': f.name, 'type': f.type, 'samples': [[s.name, s.labels, s.value] for s in f.samples]})\n" +
            "print(json.dumps(out))\n";

        private PrometheusText(Dictionary<string, string> types, List<(string Name, Dictionary<string, string> Labels, double Value)> samples)
        {
            Types = types;
            Samples = samples;
        }

        /// <summary>Family name (as the client names it) → type.</summary>
        public Dictionary<string, string> Types { get; }

        public List<(string Name, Dictionary<string, string> Labels, double Value)> Samples { get; }

        public static PrometheusText Parse(string exposition)
        {
            var info = new ProcessStartInfo("/usr/bin/python3", new[] { "-c", Parser })
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(info)!;
            p.StandardInput.Write(exposition);
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(60_000), "parser hung");
            Assert.True(p.ExitCode == 0, "the Prometheus client refused the exposition: " + stderr.Result + "\n" + exposition);
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            var samples = new List<(string, Dictionary<string, string>, double)>();
            foreach (var family in JsonDocument.Parse(stdout.Result).RootElement.EnumerateArray())
            {
                types[family.GetProperty("name").GetString()!] = family.GetProperty("type").GetString()!;
                foreach (var s in family.GetProperty("samples").EnumerateArray())
                {
                    var labels = s[1].EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!, StringComparer.Ordinal);
                    samples.Add((s[0].GetString()!, labels, s[2].GetDouble()));
                }
            }

            return new PrometheusText(types, samples);
        }

        /// <summary>The one sample named <paramref name="name"/> with <paramref name="labels"/> ("k=v" each).</summary>
        public double Value(string name, params string[] labels)
        {
            var want = labels.Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
            var hits = Samples.Where(s => s.Name == name && want.All(w => s.Labels.TryGetValue(w.Key, out var v) && v == w.Value)).ToList();
            Assert.True(hits.Count == 1, name + " {" + string.Join(",", labels) + "}: " + hits.Count + " samples");
            return hits[0].Value;
        }

        public bool Has(string sampleName) => Samples.Any(s => s.Name == sampleName);
    }
}
