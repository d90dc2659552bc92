using System.Collections.Concurrent;
using AetherEdge.HostNode.Diagnostics;

namespace AetherEdge.HostNode.Mesh
{
    /// <summary>
    /// The pushing side of shard offers (<see cref="MeshShardSender"/> owns it): which (device, shard) were offered
    /// and wait for an answer, which the device wants (their bytes go next), how offers ended. At most
    /// <see cref="MaxOffered"/> ids wait and <see cref="MaxWanted"/> are remembered wanted; offers go through a queue
    /// of their own (<see cref="MaxQueued"/> bodies). Offered from any thread, answered on the router thread.
    /// </summary>
    internal sealed class ShardOfferBook
    {
        public const int MaxOffered = 1024;
        public const int MaxWanted = 1024;
        public const int MaxQueued = 16;

        public const string Held = "held";
        public const string Wanted = "wanted";
        public const string Refused = "refused";
        public const string Unanswered = "unanswered";

        private readonly ConcurrentDictionary<(uint, string), DateTimeOffset> _offered = new();
        private readonly ConcurrentDictionary<(uint, string), byte> _wanted = new();
        private readonly LabelledCounts _results = new();
        private readonly ReceiptQueue _queue;
        private readonly TimeSpan _wait;
        private long _ids;
        private DateTimeOffset _swept;

        public ShardOfferBook(ReceiptQueue queue, TimeSpan wait)
        {
            _queue = queue;
            _wait = wait;
        }

        /// <summary>Ids offered (each once per offer).</summary>
        public long Offered => Interlocked.Read(ref _ids);

        public IReadOnlyList<KeyValuePair<string, long>> Results() => _results.Snapshot();

        public long this[string result] => _results[result];

        public bool Waiting((uint, string) key) => _offered.ContainsKey(key);

        public bool IsWanted((uint, string) key) => _wanted.ContainsKey(key);

        public void Taken((uint, string) key) => _wanted.TryRemove(key, out _);

        /// <summary>Queues offers of <paramref name="shardIds"/> (none waiting already) to <paramref name="node"/>; how many were offered.</summary>
        public int Offer(uint node, IEnumerable<string> shardIds, DateTimeOffset now)
        {
            var fresh = shardIds.Where(id => !_offered.ContainsKey((node, id)) && !_wanted.ContainsKey((node, id))).Distinct(StringComparer.Ordinal)
                .Take(Math.Max(0, MaxOffered - _offered.Count)).ToList();
            int offered = 0;
            foreach (var chunk in fresh.Chunk(MeshShardOffer.MaxIds))
            {
                if (!_queue.Enqueue(node, MeshShardOffer.Write(chunk.Select(Convert.FromHexString).ToList())))
                {
                    break; // the queue is full: the rest on a later pass
                }

                foreach (string id in chunk)
                {
                    _offered[(node, id)] = now;
                }

                offered += chunk.Length;
            }

            Interlocked.Add(ref _ids, offered);
            return offered;
        }

        /// <summary>The device's answer for one id: null when it was not offered (late or unsolicited), else how the offer ended.</summary>
        public string? Answer((uint, string) key, byte result)
        {
            if (!_offered.TryRemove(key, out _))
            {
                return null;
            }

            string outcome = MeshShardReceipt.Kept(result) ? Held : result == MeshShardReceipt.Wanted ? Wanted : Refused;
            if (outcome == Wanted && _wanted.Count < MaxWanted)
            {
                _wanted[key] = 0;
            }

            Count(outcome);
            return outcome;
        }

        /// <summary>Sends what waits (router thread) and ends offers unanswered for longer than the wait; returns those.</summary>
        public List<(uint, string)> Step(IMeshOutbox outbox, DateTimeOffset now)
        {
            _queue.Flush(outbox);
            if (now - _swept < TimeSpan.FromSeconds(1))
            {
                return new List<(uint, string)>();
            }

            _swept = now;
            var late = _offered.Where(o => now - o.Value > _wait).Select(o => o.Key).ToList();
            foreach (var key in late)
            {
                if (_offered.TryRemove(key, out _))
                {
                    Count(Unanswered);
                }
            }

            return late;
        }

        private void Count(string result) => _results.Add(result);
    }
}
