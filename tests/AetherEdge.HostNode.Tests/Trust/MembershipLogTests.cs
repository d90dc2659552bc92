using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Trust;

namespace AetherEdge.HostNode.Tests.Trust
{
    /// <summary>Membership that travels: who may introduce, which statement wins, and what a removal leaves behind.</summary>
    public sealed class MembershipLogTests : IDisposable
    {
        private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-members-" + Guid.NewGuid().ToString("N"));
        private readonly List<NodeIdentity> _identities = new();

        public void Dispose()
        {
            foreach (var i in _identities)
            {
                i.Dispose();
            }

            Directory.Delete(_root, true);
        }

        [Fact]
        public void Introduction_FromAMember_AddsTheSubject()
        {
            var (a, circleA, logA) = Device("a");
            var b = Identity("b");
            var c = Identity("c");
            circleA.Add(b.DeviceId, "b", s_now);
            logA.Reconcile(s_now);

            var intro = MembershipStatement.Sign(MembershipChange.Introduce, 1, 0, c.DeviceId, "c", b);
            Assert.Equal(MembershipVerdict.Applied, logA.Apply(Roundtrip(intro), new()));
            Assert.True(circleA.Contains(c.DeviceId));
            Assert.Empty(logA.Reconcile(s_now)); // applied, not a local edit: nothing to sign
        }

        [Fact]
        public void Introduction_FromAStranger_WaitsUntilTheStrangerIsIntroduced()
        {
            var (_, circleA, logA) = Device("a");
            var b = Identity("b");
            var c = Identity("c");
            var d = Identity("d");
            circleA.Add(b.DeviceId, "b", s_now);
            logA.Reconcile(s_now);

            var fromStranger = MembershipStatement.Sign(MembershipChange.Introduce, 1, 0, d.DeviceId, "d", c);
            Assert.Equal(MembershipVerdict.Pending, logA.Apply(fromStranger, new()));
            Assert.False(circleA.Contains(d.DeviceId));

            var also = new List<MembershipStatement>();
            Assert.Equal(MembershipVerdict.Applied, logA.Apply(MembershipStatement.Sign(MembershipChange.Introduce, 1, 0, c.DeviceId, "c", b), also));
            Assert.True(circleA.Contains(d.DeviceId));
            Assert.Single(also);
        }

        [Fact]
        public void StaleIntroduction_AfterARemoval_DoesNotBringTheDeviceBack()
        {
            var (_, circleA, logA) = Device("a");
            var b = Identity("b");
            var c = Identity("c");
            var x = Identity("x");
            circleA.Add(b.DeviceId, "b", s_now);
            circleA.Add(c.DeviceId, "c", s_now);
            logA.Reconcile(s_now);

            var intro = MembershipStatement.Sign(MembershipChange.Introduce, 1, 0, x.DeviceId, "x", b);
            Assert.Equal(MembershipVerdict.Applied, logA.Apply(intro, new()));
            Assert.Equal(MembershipVerdict.Applied, logA.Apply(MembershipStatement.Sign(MembershipChange.Remove, 2, 0, x.DeviceId, "x", c), new()));
            Assert.False(circleA.Contains(x.DeviceId));

            // The old introduction, replayed or relayed late, loses to the tombstone.
            Assert.Equal(MembershipVerdict.Stale, logA.Apply(intro, new()));
            Assert.False(circleA.Contains(x.DeviceId));

            // An introduction made at the same version as the removal loses too (removal wins a tie).
            Assert.Equal(MembershipVerdict.Stale, logA.Apply(MembershipStatement.Sign(MembershipChange.Introduce, 2, 0, x.DeviceId, "x", b), new()));

            // Pairing it again later signs a newer introduction, which counts.
            Assert.Equal(MembershipVerdict.Applied, logA.Apply(MembershipStatement.Sign(MembershipChange.Introduce, 3, 0, x.DeviceId, "x", b), new()));
            Assert.True(circleA.Contains(x.DeviceId));
        }

        [Fact]
        public void LocalRemoval_IsSignedAboveTheVersionItRemoves_AndSurvivesARestart()
        {
            var (a, circleA, logA) = Device("a");
            var b = Identity("b");
            circleA.Add(b.DeviceId, "b", s_now);
            var intro = Assert.Single(logA.Reconcile(s_now));
            Assert.Equal(MembershipChange.Introduce, intro.Change);
            Assert.Equal(a.DeviceId, intro.Signer);

            circleA.Remove(b.DeviceId);
            var removal = Assert.Single(logA.Reconcile(s_now));
            Assert.Equal(MembershipChange.Remove, removal.Change);
            Assert.Equal(intro.Version + 1, removal.Version);

            var reopened = new MembershipLog(Path.Combine(_root, "a"), circleA, a);
            Assert.Equal(MembershipVerdict.Stale, reopened.Apply(intro, new()));
            Assert.Empty(reopened.Reconcile(s_now));
        }

        [Fact]
        public void Statements_AboutThisDeviceOrBySubjectAboutItself_AreRefused()
        {
            var (a, circleA, logA) = Device("a");
            var b = Identity("b");
            circleA.Add(b.DeviceId, "b", s_now);
            logA.Reconcile(s_now);
            Assert.Equal(MembershipVerdict.Refused, logA.Apply(MembershipStatement.Sign(MembershipChange.Remove, 9, 0, a.DeviceId, "a", b), new()));
            Assert.Equal(MembershipVerdict.Refused, logA.Apply(MembershipStatement.Sign(MembershipChange.Introduce, 9, 0, b.DeviceId, "b", b), new()));
        }

        [Fact]
        public void Read_TamperedStatement_IsRejected()
        {
            var b = Identity("b");
            var c = Identity("c");
            var s = MembershipStatement.Sign(MembershipChange.Introduce, 1, 0, c.DeviceId, "c", b);
            var bytes = (byte[])s.Encoded.Clone();
            bytes[2] ^= 1; // the version
            Assert.Throws<FormatException>(() => MembershipStatement.Read(bytes, out _));
            Assert.Throws<FormatException>(() => MembershipStatement.Read(s.Encoded.AsSpan(0, s.Encoded.Length - 5), out _));
        }

        private static MembershipStatement Roundtrip(MembershipStatement s) => MembershipStatement.Read(s.Encoded, out _);

        private NodeIdentity Identity(string name)
        {
            var id = NodeIdentity.LoadOrCreate(Path.Combine(_root, name));
            _identities.Add(id);
            return id;
        }

        private (NodeIdentity Self, TrustCircle Circle, MembershipLog Log) Device(string name)
        {
            var self = Identity(name);
            var circle = new TrustCircle(Path.Combine(_root, name));
            return (self, circle, new MembershipLog(Path.Combine(_root, name), circle, self));
        }
    }
}
