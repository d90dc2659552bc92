using System.Security.Cryptography;
using AetherEdge.Core.Relay;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Mesh;
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

        private static async Task Deliver(MeshShards shards, byte[] envelope)
        {
            shards.OnOpened(new MeshDelivery(0x1234, 2, envelope, 0, envelope.Length), null!);
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
