using System.Collections.Concurrent;

namespace AetherEdge.HostNode.Diagnostics
{
    /// <summary>
    /// Counts by label (a metric's result or reason), added to from any thread and listed in label order for
    /// <c>/metrics</c>: the one shape behind every "{result}" counter of a component.
    /// </summary>
    public sealed class LabelledCounts
    {
        private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

        /// <summary>The count of <paramref name="label"/> (0 before its first).</summary>
        public long this[string label] => _counts.TryGetValue(label, out long v) ? v : 0;

        public void Add(string label) => _counts.AddOrUpdate(label, 1, (_, v) => v + 1);

        /// <summary>Every label counted so far with its count, in ordinal label order.</summary>
        public IReadOnlyList<KeyValuePair<string, long>> Snapshot() => _counts.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
    }
}
