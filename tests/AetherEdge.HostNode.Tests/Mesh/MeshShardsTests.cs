using System.Security.Cryptography;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Relay;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Placement;
using AetherEdge.HostNode.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AetherEdge.HostNode.Tests.Mesh
{
    /// <summary>
    /// Shard envelopes opened from sealed frames, in the hub as composed: stored only when the hash matches, a
    /// manifest lists the shard and the plan gives it to this hub; everything else dropped and counted.
    /// </summary>
    public sealed class MeshShardsTests : IDisposable
    {
        private readonly string _home = Path.Combine(Path.GetTempPath(), "aether-meshshards-" + Guid.NewGuid().ToString("N"));

        [Fact]
        public async Task Envelope_VerifiedAndPlannedHere_IsStored_OthersAreCountedAndNotStored()
        {
            var init = CliRunner.Run("init", "--home", Path.Combine(_home, "home"));
            Assert.True(init.Code == 0, init.Err);
            string file = Path.Combine(_home, "in.bin");
            File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(50_000));
            var put = CliRunner.Run("put", file, "--home", Path.Combine(_home, "home"));
            Assert.True(put.Code == 0, put.Err);

            using var host = HubHost.Build(new HubSettings { Home = Path.Combine(_home, "home"), Name = "receiver", Mdns = false }, TextWriter.Null);
            var store = host.Services.GetRequiredService<ShardStore>();
            var shards = host.Services.GetRequiredService<MeshShards>();
            string id = store.ListShards()[0].Id;
            byte[] bytes = File.ReadAllBytes(store.PathOf(id));
            Assert.True(store.DeleteShard(id));

            await Deliver(shards, Envelope(id, bytes, tamper: true));
            Assert.Equal(1, shards[MeshShards.BadHash]);
            Assert.False(store.HasShard(id));

            byte[] stranger = RandomNumberGenerator.GetBytes(300);
            await Deliver(shards, Envelope(ShardId.Of(stranger), stranger, tamper: false));
            Assert.Equal(1, shards[MeshShards.NoManifest]);

            await Deliver(shards, Envelope(id, bytes, tamper: false));
            Assert.Equal(1, shards[MeshShards.Stored]);
            Assert.True(store.HasShard(id));

            await Deliver(shards, Envelope(id, bytes, tamper: false));
            Assert.Equal(1, shards[MeshShards.AlreadyHeld]);
        }

        /// <summary>
        /// The field-kit flake: hub A relayed a phone's shard to C by a plan made before C's inventory reached A, and
        /// C's plan gave it back to A; C dropped it as not planned here, and the shard existed nowhere else. Now a shard
        /// planned back to its sender is kept for handoff (a synced shard: sync hands it over, placement prunes it once
        /// the planned holder has it), never dropped and never bounced.
        /// </summary>
        [Fact]
        public async Task Shard_PlannedBackToTheHubThatSentIt_IsKeptForHandoff_AndPrunedOnceThatHubHoldsIt()
        {
            string home = Path.Combine(_home, "home");
            Assert.Equal(0, CliRunner.Run("init", "--home", home, "--kind", "hub", "--allocation", "1GB").Code);
            var sender = DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(91));
            var other = DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(91));
            Assert.Equal(0, CliRunner.Run("trust", "add", sender.Text, "--name", "a", "--home", home).Code);
            Assert.Equal(0, CliRunner.Run("trust", "add", other.Text, "--name", "b", "--home", home).Code);
            string file = Path.Combine(_home, "in.bin");
            File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(60_000));
            var put = CliRunner.Run("put", file, "--home", home, "--data-shards", "2", "--parity-shards", "1");
            Assert.True(put.Code == 0, put.Err);

            using var host = HubHost.Build(new HubSettings { Home = home, Name = "receiver", Mdns = false }, TextWriter.Null);
            var store = host.Services.GetRequiredService<ShardStore>();
            var shards = host.Services.GetRequiredService<MeshShards>();
            var peers = host.Services.GetRequiredService<PeerKnowledge>();
            var oracle = host.Services.GetRequiredService<PlacementOracle>();
            var bytes = store.ListShards().ToDictionary(s => s.Id, s => File.ReadAllBytes(store.PathOf(s.Id)));
            foreach (string id in bytes.Keys)
            {
                Assert.True(store.DeleteShard(id));
            }

            // Three hubs, nobody holds anything: one shard each, one of them the sender's.
            foreach (var peer in new[] { sender, other })
            {
                peers.Heard(peer, new DeviceProfile(peer.Text, DeviceKind.Hub, 1L << 30, 0, true, new BatteryStatus(100, true), false, true));
                peers.Inventory(peer, Array.Empty<string>());
            }

            string back = Assert.Single(bytes.Keys, id => oracle.AssignedHolder(id) == sender.Text);
            await Deliver(shards, Envelope(back, bytes[back], tamper: false), MeshAddress.Of(sender));
            Assert.Equal(1, shards[MeshShards.HeldForHandoff]);
            Assert.Equal(0, shards[MeshShards.NotPlannedHere] + shards[MeshShards.Relayed]);
            Assert.True(store.HasShard(back));

            // The sender now holds it (its next inventory): placement drops the copy kept here, and only that one.
            peers.Inventory(sender, new[] { back });
            Assert.Equal(new[] { back }, host.Services.GetRequiredService<MisplacedShards>().Prune());
            Assert.False(store.HasShard(back));
        }

        private static byte[] Envelope(string id, byte[] shard, bool tamper)
        {
            var envelope = new byte[ShardEnvelope.HeaderBytes + shard.Length];
            Assert.True(ShardEnvelope.TryWrite(Convert.FromHexString(id), shard, 0, shard.Length, envelope, 0, out _));
            if (tamper)
            {
                envelope[^1] ^= 0x55;
            }

            return envelope;
        }

        private static async Task Deliver(MeshShards shards, byte[] envelope, uint source = 0x1234)
        {
            shards.OnOpened(new MeshDelivery(source, 2, envelope, 0, envelope.Length), null!);
            for (int i = 0; i < 500 && shards.Pending > 0; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(0, shards.Pending);
        }

        public void Dispose()
        {
            if (Directory.Exists(_home))
            {
                Directory.Delete(_home, true);
            }
        }
    }
}
