using System.Collections.Concurrent;
using System.Diagnostics;
using AetherEdge.Core.Devices;
using AetherEdge.Core.WifiDirect;
using AetherEdge.HostNode.WifiDirect;
using static AetherEdge.HostNode.Tests.WifiDirect.P2pManagerTests;

namespace AetherEdge.HostNode.Tests.WifiDirect
{
    /// <summary>
    /// Two <see cref="P2pManager"/>s over real control links (<see cref="WpaControlLink"/>, AF_UNIX datagrams) to two
    /// SIMULATED wpa_supplicants speaking 2.10's formats; no namespaces, so no group interfaces (the netns tests
    /// cover those). The managers' timers run on a manual clock; only the simulation's air times are real.
    /// </summary>
    public sealed class P2pManagerOverSimulationTests : IDisposable
    {
        private const string IdA = "AAAA-0001";
        private const string IdB = "BBBB-0002";
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aewfd-proto-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..6]);
        private readonly SimulatedAir _air = new();
        private readonly ManualClock _clock = new();
        private readonly Side _a, _b;

        public P2pManagerOverSimulationTests()
        {
            _a = new Side(_air, Path.Combine(_root, "a"), "02:00:00:00:0a:00", IdA, IdB, _clock);
            _b = new Side(_air, Path.Combine(_root, "b"), "02:00:00:00:0b:00", IdB, IdA, _clock);
        }

        [Fact]
        public void PersistentGroup_ReinvokedByP2pInvite_NoNegotiationNoButton_SameRoles_AfterIdleRemoval()
        {
            Assert.True(Pump(() => _a.Manager.Group != null && _b.Manager.Group != null), Diagnosis());
            Assert.Equal(1, _air.Negotiations);
            Assert.Equal("1", _a.Sim.Settings["persistent_reconnect"]);
            var firstRoles = (_a.Manager.Group!.Role, _b.Manager.Group!.Role);
            Assert.NotEqual(firstRoles.Item1, firstRoles.Item2);
            Assert.True(_a.Manager.Group.Persistent);
            _a.Manager.ConfirmTrusted(SimulatedAir.GroupInterface);
            _b.Manager.ConfirmTrusted(SimulatedAir.GroupInterface);

            // Five minutes without sync traffic: the group is removed (by whichever side ticks first) and both see it go.
            _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
            Assert.True(Pump(() => _a.Manager.Group == null && _b.Manager.Group == null), Diagnosis());
            Assert.Equal(1, _a.Manager.Counters.GroupsRemovedIdle + _b.Manager.Counters.GroupsRemovedIdle);

            // Next formation: a re-invocation of the stored group, accepted by persistent_reconnect.
            Assert.True(Pump(() => _a.Manager.Group != null && _b.Manager.Group != null), Diagnosis());
            Assert.Equal(1, _air.Negotiations);
            Assert.Equal(1, _a.Sim.CountCommands("P2P_INVITE persistent=") + _b.Sim.CountCommands("P2P_INVITE persistent="));
            Assert.Equal(firstRoles, (_a.Manager.Group!.Role, _b.Manager.Group!.Role));
            Assert.True(_b.Manager.Group.Persistent);
            Assert.DoesNotContain(_a.Network.Up.Concat(_b.Network.Up), g => g.Role == P2pRole.Client && g.GoIpAddress != "192.168.42.1");
        }

        [Fact]
        public void PeerForgotThePersistentGroup_InvitationResultStatus8_FallsBackToNegotiation()
        {
            Assert.True(Pump(() => _a.Manager.Group != null && _b.Manager.Group != null), Diagnosis());
            _a.Manager.ConfirmTrusted(SimulatedAir.GroupInterface);
            _b.Manager.ConfirmTrusted(SimulatedAir.GroupInterface);
            _clock.Advance(TimeSpan.FromMinutes(6));
            Assert.True(Pump(() => _a.Manager.Group == null && _b.Manager.Group == null), Diagnosis());
            lock (_b.Sim.Networks)
            {
                _b.Sim.Networks.Clear();
            }

            lock (_a.Sim.Networks)
            {
                _a.Sim.Networks.Clear();
                _a.Sim.Networks.Add(new SimulatedNetwork(0, "DIRECT-gone", "02:00:00:00:0b:00"));
            }

            _clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(Pump(() => _a.Manager.Counters.FormationFailures == 1), Diagnosis());
            _clock.Advance(TimeSpan.FromSeconds(5));
            Assert.True(Pump(() => _a.Manager.Group != null && _b.Manager.Group != null), Diagnosis());
            Assert.Equal(2, _air.Negotiations);
        }

        [Fact]
        public void FailedNegotiations_RetriedAfter5ThenAfter10Seconds_ThenTheGroupForms()
        {
            _air.FailNegotiations = 2;
            Assert.True(Pump(() => _a.Manager.Counters.FormationFailures == 1), Diagnosis());
            Assert.Equal(1, _a.Sim.CountCommands("P2P_CONNECT"));
            Pump(() => false, seconds: 1);
            Assert.Equal(1, _a.Sim.CountCommands("P2P_CONNECT"));

            _clock.Advance(TimeSpan.FromSeconds(5));
            Assert.True(Pump(() => _a.Manager.Counters.FormationFailures == 2), Diagnosis());
            Assert.Equal(2, _a.Sim.CountCommands("P2P_CONNECT"));
            _clock.Advance(TimeSpan.FromSeconds(9));
            Pump(() => false, seconds: 1);
            Assert.Equal(2, _a.Sim.CountCommands("P2P_CONNECT"));

            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.True(Pump(() => _a.Manager.Group != null && _b.Manager.Group != null), Diagnosis());
            Assert.Equal(3, _a.Sim.CountCommands("P2P_CONNECT"));
            Assert.Equal(3, _air.Negotiations);
        }

        public void Dispose()
        {
            _a.Dispose();
            _b.Dispose();
            try
            {
                Directory.Delete(_root, true);
            }
            catch (IOException)
            {
            }
        }

        // Feeds both managers their events and ticks until the condition holds (bounded in real time: the air's delays are real).
        private bool Pump(Func<bool> until, int seconds = 20)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                _a.Drain();
                _b.Drain();
                if (until())
                {
                    return true;
                }

                Thread.Sleep(20);
            }

            return until();
        }

        private string Diagnosis() => "A: " + string.Join(" | ", _a.Sim.Commands) + "\nB: " + string.Join(" | ", _b.Sim.Commands) + "\nA events: " + string.Join(" | ", _a.Events) + "\nB events: " + string.Join(" | ", _b.Events);

        private sealed class Side : IP2pControl, IDisposable
        {
            private readonly WpaControlLink _link;
            private readonly ConcurrentDictionary<string, WpaControlLink> _groupLinks = new();

            public Side(SimulatedAir air, string dir, string address, string ourId, string trustedId, ManualClock clock)
            {
                Sim = new SimulatedWpaSupplicant(air, dir, null, address);
                _link = new WpaControlLink(Sim.SocketPath);
                Assert.True(_link.Reconnect(attach: true));
                var ours = new AetherServiceRecord("aether-" + ourId, ourId, "hub", 1_000_000, "1.0");
                var hub = new DeviceProfile(ourId, DeviceKind.Hub, 1_000_000, 0, true, BatteryStatus.Mains, false, true);
                Manager = new P2pManager(this, ours, id => id == trustedId, () => hub, Network, clock, new P2pOptions(), new P2pCounters());
                Assert.True(Manager.Start());
            }

            public SimulatedWpaSupplicant Sim { get; }

            public P2pManager Manager { get; }

            public RecordingNetwork Network { get; } = new();

            public List<string> Events { get; } = new();

            public string Request(string command) => _link.Request(command);

            public string RequestOn(string ifname, string command) =>
                _groupLinks.GetOrAdd(ifname, i => new WpaControlLink(Path.Combine(Sim.Directory, i))).Request(command);

            public void Drain()
            {
                while (_link.ReceiveEvent(TimeSpan.FromMilliseconds(5)) is { } line)
                {
                    Events.Add(line);
                    Manager.OnEventLine(line);
                }

                Manager.Tick();
            }

            public void Dispose()
            {
                _link.Dispose();
                foreach (var l in _groupLinks.Values)
                {
                    l.Dispose();
                }

                Sim.Dispose();
            }
        }
    }
}
