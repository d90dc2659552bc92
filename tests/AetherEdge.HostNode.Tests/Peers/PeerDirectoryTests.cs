using System.Net;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;

namespace AetherEdge.HostNode.Tests.Peers
{
    /// <summary>What discovery may add to the directory is bounded; a flood cannot push out a proven address.</summary>
    public sealed class PeerDirectoryTests
    {
        private static DeviceId Device(int seed)
        {
            var info = new byte[91];
            new Random(seed).NextBytes(info);
            return DeviceId.FromPublicKeyInfo(info);
        }

        private static IPEndPoint At(int i) => new(new IPAddress(new byte[] { 10, 9, (byte)(i >> 8), (byte)i }), 43216);

        [Fact]
        public void Suggest_TwoThousandAddressesForOneDevice_KeepsItsShareAndEveryWorkingAddress()
        {
            var directory = new PeerDirectory();
            var d = Device(1);
            Assert.Equal(SuggestResult.Added, directory.Suggest(At(0), d, "mdns"));
            directory.Proved(At(0), d);
            var results = new List<SuggestResult>();
            for (int i = 1; i <= 2000; i++)
            {
                results.Add(directory.Suggest(At(i), d, "mdns"));
            }

            // First come, first kept: none of them failed, so none can be pushed out.
            Assert.Equal(PeerDirectory.MaxPerDevice - 1, results.Count(r => r == SuggestResult.Added));
            Assert.Equal(new[] { At(0), At(1), At(2), At(3) }, directory.Snapshot().Select(p => p.EndPoint).OrderBy(e => e.Address.GetAddressBytes()[3]).ToArray());

            // One that failed a dial makes room for the next suggestion; the proven one never does.
            directory.Failed(At(2));
            directory.Failed(At(0));
            Assert.Equal(SuggestResult.Replaced, directory.Suggest(At(2001), d, "mdns"));
            Assert.Equal(SuggestResult.Full, directory.Suggest(At(2002), d, "mdns"));
            var kept = directory.Snapshot();
            Assert.Equal(PeerDirectory.MaxPerDevice, kept.Count);
            Assert.Contains(kept, p => p.EndPoint.Equals(At(0)) && p.Proven);
            Assert.DoesNotContain(kept, p => p.EndPoint.Equals(At(2)));
            Assert.Contains(kept, p => p.EndPoint.Equals(At(2001)));
        }

        [Fact]
        public void Suggest_ManyDevices_BoundedInAllButConfiguredPeersStay()
        {
            var directory = new PeerDirectory();
            var typed = new IPEndPoint(IPAddress.Loopback, 4000);
            directory.Upsert(typed, null, "static");
            var results = new List<SuggestResult>();
            for (int i = 0; i < PeerDirectory.MaxSuggested + 50; i++)
            {
                results.Add(directory.Suggest(At(i), Device(100 + i), "mdns"));
            }

            Assert.Equal(PeerDirectory.MaxSuggested + 1, directory.Count);
            Assert.Equal(50, results.Count(r => r == SuggestResult.Full));
            Assert.Contains(directory.Snapshot(), p => p.EndPoint.Equals(typed));
        }

        [Fact]
        public void Remove_GoodbyeForAProvenOrConfiguredAddress_KeepsIt()
        {
            var directory = new PeerDirectory();
            var d = Device(2);
            directory.Suggest(At(1), d, "mdns");
            directory.Suggest(At(2), d, "mdns");
            directory.Proved(At(1), d);
            directory.Upsert(At(3), null, "static");
            directory.Remove(At(1));
            directory.Remove(At(2));
            directory.Remove(At(3));
            Assert.Equal(new[] { At(1), At(3) }, directory.Snapshot().Select(p => p.EndPoint).OrderBy(e => e.ToString()));
        }

        [Fact]
        public void Suggest_ProvenAddressAnnouncedForAnotherDevice_KeepsItsProvenDevice()
        {
            var directory = new PeerDirectory();
            var real = Device(3);
            directory.Suggest(At(1), real, "mdns");
            directory.Proved(At(1), real);
            Assert.Equal(SuggestResult.Known, directory.Suggest(At(1), Device(4), "mdns"));
            Assert.Equal(real, directory.Snapshot().Single().Id);
        }
    }
}
