using System.Text.Json;
using System.Text.Json.Serialization;
using AetherEdge.HostNode.Identity;

namespace AetherEdge.HostNode.Trust
{
    /// <summary>What applying a statement did.</summary>
    public enum MembershipVerdict
    {
        /// <summary>New and applied (the circle may have changed): pass it on.</summary>
        Applied,

        /// <summary>An equal or newer statement about the subject is known (a stale introduction after a removal lands here).</summary>
        Stale,

        /// <summary>Its signer is not (yet) a member: kept aside and tried again when the circle grows.</summary>
        Pending,

        /// <summary>Refused for good (about this device itself, or a signer speaking about itself).</summary>
        Refused,
    }

    /// <summary>
    /// Membership that travels: the newest signed statement about each subject device, and the rules that
    /// turn statements into the trust circle (<c>HOME/membership.json</c>, atomic writes).
    /// <list type="bullet">
    /// <item>A statement counts only when its signer is a member now (or this device): an introduction is
    /// accepted from members only; one from a stranger waits (bounded) until its signer is introduced.</item>
    /// <item>Per subject the highest version wins, a removal winning a tie, so a removed device cannot come back
    /// through an old introduction (replayed or relayed late): its removal is a tombstone with a higher
    /// version. Pairing it again later signs a newer introduction.</item>
    /// <item>Local edits (<c>aether pair</c>, <c>aether trust add/remove</c>) are found by comparing the circle with
    /// the members last seen (<see cref="Reconcile"/>) and signed by this device with the next version.</item>
    /// </list>
    /// Not thread-safe: the mesh router thread owns it.
    /// </summary>
    public sealed class MembershipLog
    {
        public const string FileName = "membership.json";
        public const int MaxSubjects = 1024;
        public const int MaxPending = 256;

        private readonly string _path;
        private readonly TrustCircle _circle;
        private readonly NodeIdentity _self;
        private readonly Dictionary<DeviceId, MembershipStatement> _winning = new();
        private readonly HashSet<DeviceId> _known = new();
        private readonly List<MembershipStatement> _pending = new();

        public MembershipLog(string home, TrustCircle circle, NodeIdentity self)
        {
            _path = Path.Combine(home, FileName);
            _circle = circle;
            _self = self;
            Load();
        }

        /// <summary>The winning statement per subject (what anti-entropy sends a new neighbour).</summary>
        public IReadOnlyCollection<MembershipStatement> Winning => _winning.Values;

        public int PendingCount => _pending.Count;

        /// <summary>The winning statement about <paramref name="subject"/>, if any.</summary>
        public MembershipStatement? About(DeviceId subject) => _winning.TryGetValue(subject, out var s) ? s : null;

        /// <summary>
        /// Signs statements for the circle's local edits since the last call (members added or removed by the
        /// CLI) and returns them for broadcasting.
        /// </summary>
        public List<MembershipStatement> Reconcile(DateTimeOffset now)
        {
            var signed = new List<MembershipStatement>();
            var members = _circle.Members;
            var current = members.Select(m => m.Id).ToHashSet();
            foreach (var m in members.Where(m => !_known.Contains(m.Id)))
            {
                var prior = About(m.Id);
                if (prior != null && prior.Change == MembershipChange.Introduce)
                {
                    _known.Add(m.Id); // introduced to us and added by us: nothing new to say
                    continue;
                }

                signed.Add(Record(MembershipStatement.Sign(MembershipChange.Introduce, (prior?.Version ?? 0) + 1, now.ToUnixTimeMilliseconds(), m.Id, m.Name, _self)));
                _known.Add(m.Id);
            }

            foreach (var gone in _known.Where(id => !current.Contains(id)).ToList())
            {
                var prior = About(gone);
                signed.Add(Record(MembershipStatement.Sign(MembershipChange.Remove, (prior?.Version ?? 0) + 1, now.ToUnixTimeMilliseconds(), gone, prior?.Name ?? gone.Short, _self)));
                _known.Remove(gone);
            }

            if (signed.Count > 0)
            {
                Save();
            }

            return signed;
        }

        /// <summary>
        /// Applies a verified statement heard from the mesh. Applied statements change the circle (and may
        /// make pending ones acceptable: <paramref name="alsoApplied"/> gets those).
        /// </summary>
        public MembershipVerdict Apply(MembershipStatement s, List<MembershipStatement> alsoApplied)
        {
            var verdict = ApplyOne(s);
            if (verdict == MembershipVerdict.Applied)
            {
                // A newly trusted signer may vouch for statements that waited.
                bool progress = true;
                while (progress)
                {
                    progress = false;
                    foreach (var p in _pending.ToList())
                    {
                        if (_circle.Contains(p.Signer))
                        {
                            _pending.Remove(p);
                            if (ApplyOne(p) == MembershipVerdict.Applied)
                            {
                                alsoApplied.Add(p);
                                progress = true;
                            }
                        }
                    }
                }

                Save();
            }

            return verdict;
        }

        private MembershipVerdict ApplyOne(MembershipStatement s)
        {
            if (s.Subject == _self.DeviceId || s.Signer == s.Subject)
            {
                return MembershipVerdict.Refused;
            }

            var prior = About(s.Subject);
            if (prior != null && !s.Beats(prior.Version, prior.Change == MembershipChange.Remove))
            {
                return MembershipVerdict.Stale;
            }

            if (s.Signer != _self.DeviceId && !_circle.Contains(s.Signer))
            {
                if (_pending.Count >= MaxPending)
                {
                    _pending.RemoveAt(0);
                }

                if (!_pending.Any(p => p.Encoded.AsSpan().SequenceEqual(s.Encoded)))
                {
                    _pending.Add(s);
                }

                return MembershipVerdict.Pending;
            }

            if (prior == null && _winning.Count >= MaxSubjects)
            {
                return MembershipVerdict.Refused;
            }

            Record(s);
            if (s.Change == MembershipChange.Introduce)
            {
                _circle.Add(s.Subject, s.Name, DateTimeOffset.UtcNow);
                _known.Add(s.Subject);
            }
            else
            {
                _circle.Remove(s.Subject);
                _known.Remove(s.Subject);
            }

            return MembershipVerdict.Applied;
        }

        private MembershipStatement Record(MembershipStatement s)
        {
            _winning[s.Subject] = s;
            return s;
        }

        private void Load()
        {
            if (!File.Exists(_path))
            {
                return;
            }

            MembershipFile? file;
            try
            {
                file = JsonSerializer.Deserialize(File.ReadAllText(_path), MembershipJsonContext.Default.MembershipFile);
            }
            catch (JsonException e)
            {
                throw new IOException(_path + " is not valid membership JSON (" + e.Message + "); fix or remove it");
            }

            foreach (string k in file?.Known ?? new List<string>())
            {
                if (DeviceId.TryParse(k, out var id, out _))
                {
                    _known.Add(id);
                }
            }

            foreach (string b64 in file?.Statements ?? new List<string>())
            {
                try
                {
                    var s = MembershipStatement.Read(Convert.FromBase64String(b64), out _);
                    if (!_winning.TryGetValue(s.Subject, out var w) || s.Beats(w.Version, w.Change == MembershipChange.Remove))
                    {
                        _winning[s.Subject] = s;
                    }
                }
                catch (FormatException)
                {
                    // A damaged entry is dropped; its subject's next statement restores it.
                }
            }
        }

        private void Save()
        {
            var file = new MembershipFile
            {
                Known = _known.Select(k => k.Text).OrderBy(t => t, StringComparer.Ordinal).ToList(),
                Statements = _winning.Values.Select(s => Convert.ToBase64String(s.Encoded)).ToList(),
            };
            string tmp = _path + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(file, MembershipJsonContext.Default.MembershipFile));
            File.Move(tmp, _path, true);
        }
    }

    internal sealed class MembershipFile
    {
        [JsonPropertyName("known")]
        public List<string> Known { get; set; } = new();

        [JsonPropertyName("statements")]
        public List<string> Statements { get; set; } = new();
    }

    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(MembershipFile))]
    internal sealed partial class MembershipJsonContext : JsonSerializerContext
    {
    }
}
