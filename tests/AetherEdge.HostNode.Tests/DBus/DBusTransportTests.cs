using System.Net.Sockets;
using System.Text;
using AetherEdge.Core.Protocol;
using AetherEdge.HostNode.DBus;
using Xunit;

namespace AetherEdge.HostNode.Tests.DBus
{
    /// <summary>The client against a scripted misbehaving server on a temp Unix socket (the real daemon never misbehaves).</summary>
    public class DBusTransportTests
    {
        private static async Task<Exception> ConnectToScriptedServer(Func<Socket, Task> script, TimeSpan timeout)
        {
            string dir = Path.Combine(Path.GetTempPath(), "aether-fake-bus-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "bus");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            try
            {
                Task server = Task.Run(async () =>
                {
                    using Socket peer = await listener.AcceptAsync();
                    await script(peer);
                });
                Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => DBusConnection.ConnectAsync("unix:path=" + path, timeout));
                await server.WaitAsync(TimeSpan.FromSeconds(5));
                return ex;
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        private static async Task<string> ReadLine(Socket s)
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
            {
                if (await s.ReceiveAsync(one) == 0)
                {
                    break;
                }

                if (one[0] != 0)
                {
                    line.Append((char)one[0]);
                }
            }

            return line.ToString().TrimEnd();
        }

        [Fact]
        public async Task Connect_ServerRejectsExternal_ThrowsProtocolViolation()
        {
            Exception ex = await ConnectToScriptedServer(async s =>
            {
                string auth = await ReadLine(s);
                Assert.StartsWith("AUTH EXTERNAL ", auth);
                await s.SendAsync(Encoding.ASCII.GetBytes("REJECTED EXTERNAL\r\n"));
            }, TimeSpan.FromSeconds(5));
            var violation = Assert.IsType<ProtocolViolationException>(ex);
            Assert.Contains("REJECTED EXTERNAL", violation.Message);
        }

        [Fact]
        public async Task Connect_ServerNeverAnswers_TimesOut()
        {
            Exception ex = await ConnectToScriptedServer(async s =>
            {
                await ReadLine(s);
                // stay silent until the client gives up and closes its end
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(4));
                while (await s.ReceiveAsync(new byte[64], cts.Token) > 0)
                {
                }
            }, TimeSpan.FromMilliseconds(300));
            Assert.IsType<TimeoutException>(ex);
        }

        [Fact]
        public async Task Connect_GarbageInsteadOfHelloReply_FailsWithDisconnectedNamingTheProblem()
        {
            Exception ex = await ConnectToScriptedServer(async s =>
            {
                await ReadLine(s);
                await s.SendAsync(Encoding.ASCII.GetBytes("OK 0123456789abcdef0123456789abcdef\r\n"));
                await ReadLine(s);
                await s.SendAsync(Encoding.ASCII.GetBytes("AGREE_UNIX_FD\r\n"));
                Assert.Equal("BEGIN", await ReadLine(s));
                await s.SendAsync(Encoding.ASCII.GetBytes("XXXXXXXXXXXXXXXXXXXX"));
                await Task.Delay(200);
            }, TimeSpan.FromSeconds(5));
            var error = Assert.IsType<DBusErrorException>(ex);
            Assert.Equal(DBusErrors.Disconnected, error.ErrorName);
            Assert.True(error.Message.Contains("endianness"), error.Message);
        }
    }
}
