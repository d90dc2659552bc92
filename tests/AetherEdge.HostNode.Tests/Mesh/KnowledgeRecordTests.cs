using System.Security.Cryptography.X509Certificates;
using AetherEdge.Core.Devices;
using AetherEdge.Core.Protocol;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Mesh;

namespace AetherEdge.HostNode.Tests.Mesh
{
    public sealed class KnowledgeRecordTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "aesy-know-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(_root, true);

        [Fact]
        public void SignVerify_RoundTrips_AndNamesTheDeviceByItsKey()
        {
            using var id = NodeIdentity.LoadOrCreate(_root);
            var record = new KnowledgeRecord(id.DeviceId, 42, DeviceKind.Hub, 5, 80, 2_000_000_000, "hub-b", new uint[] { 7, 9 });
            byte[] signed = Sign(record, id);
            var back = KnowledgeRecord.Verify(signed, (_, _) => true)!;
            Assert.Equal(id.DeviceId, back.Device);
            Assert.Equal(42, back.Sequence);
            Assert.Equal(new uint[] { 7, 9 }, back.Neighbours);
            Assert.Equal("hub-b", back.Name);
        }

        [Fact]
        public void Verify_AlteredOrTruncatedRecord_IsRefused()
        {
            using var id = NodeIdentity.LoadOrCreate(_root);
            byte[] signed = Sign(new KnowledgeRecord(id.DeviceId, 1, DeviceKind.Hub, 0, 100, 1000, "x", Array.Empty<uint>()), id);
            var altered = (byte[])signed.Clone();
            altered[^70] ^= 0x40; // inside the profile, before the signature
            Assert.Throws<ProtocolViolationException>(() => KnowledgeRecord.Verify(altered, (_, _) => true));
            Assert.Throws<ProtocolViolationException>(() => KnowledgeRecord.Verify(signed.AsSpan(0, signed.Length - 1), (_, _) => true));
        }

        [Fact]
        public void Verify_UnwantedDevice_SkipsTheSignatureAndReturnsNull()
        {
            using var id = NodeIdentity.LoadOrCreate(_root);
            byte[] signed = Sign(new KnowledgeRecord(id.DeviceId, 1, DeviceKind.Hub, 0, 100, 1000, "x", Array.Empty<uint>()), id);
            DeviceId? asked = null;
            Assert.Null(KnowledgeRecord.Verify(signed, (d, _) => { asked = d; return false; }));
            Assert.Equal(id.DeviceId, asked);
        }

        private static byte[] Sign(KnowledgeRecord record, NodeIdentity id)
        {
            using var key = id.Certificate.GetECDsaPrivateKey()!;
            return record.Sign(key, id.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
        }
    }
}
