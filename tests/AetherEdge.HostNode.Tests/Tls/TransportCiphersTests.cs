using System.Net.Security;
using System.Net.Sockets;
using AetherEdge.HostNode.Tests.Sync;
using AetherEdge.HostNode.Tls;

namespace AetherEdge.HostNode.Tests.Tls
{
    public class TransportCiphersTests
    {
        [Fact]
        public void Preferred_WithoutHardwareAes_ChaChaFirst()
        {
            Assert.Equal(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TransportCiphers.Preferred(false)[0]);
            Assert.Equal(TlsCipherSuite.TLS_AES_128_GCM_SHA256, TransportCiphers.Preferred(true)[0]);
            Assert.Equal(3, TransportCiphers.Preferred(false).Union(TransportCiphers.Preferred(true)).Count());
        }

        [Fact]
        public async Task Handshake_TwoNodes_NegotiatesThisMachinesPreferredSuite()
        {
            using var a = new TestNode("a");
            using var b = new TestNode("b");
            a.Trust(b);
            b.Trust(a);
            var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var accept = Task.Run(async () =>
                {
                    using var s = await listener.AcceptTcpClientAsync(cts.Token);
                    await using var ssl = new SslStream(s.GetStream());
                    await ssl.AuthenticateAsServerAsync(a.Policy.ServerOptions(), cts.Token);
                    return ssl.NegotiatedCipherSuite;
                });
                using var tcp = new TcpClient();
                await tcp.ConnectAsync((System.Net.IPEndPoint)listener.LocalEndpoint, cts.Token);
                await using var client = new SslStream(tcp.GetStream());
                await client.AuthenticateAsClientAsync(b.Policy.ClientOptions(), cts.Token);

                var expected = TransportCiphers.Policy == null ? client.NegotiatedCipherSuite : TransportCiphers.Preferred(TransportCiphers.HardwareAes)[0];
                Assert.Equal(expected, client.NegotiatedCipherSuite);
                Assert.Equal(expected, await accept);
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
