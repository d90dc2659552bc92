using System.Net.Sockets;
using AetherEdge.HostNode.DBus;
using Xunit;

namespace AetherEdge.HostNode.Tests.DBus
{
    public class DBusConnectionTests : IClassFixture<PrivateBus>
    {
        private const string Bus = DBusConnection.BusName;
        private const string BusPath = DBusConnection.BusPath;
        private readonly PrivateBus _bus;

        public DBusConnectionTests(PrivateBus bus)
        {
            _bus = bus;
        }

        [Fact]
        public async Task Connect_AuthAndHello_ReturnsUniqueName()
        {
            using DBusConnection c = await _bus.ConnectAsync();
            Assert.StartsWith(":1.", c.UniqueName);
            Assert.True(c.SupportsUnixFds);
        }

        [Fact]
        public async Task ListNamesAndGetNameOwner_SeeOurConnections()
        {
            using DBusConnection a = await _bus.ConnectAsync();
            using DBusConnection b = await _bus.ConnectAsync();
            await b.CallAsync(Bus, BusPath, Bus, "RequestName", "su", new object[] { "org.aether.Test" + Guid.NewGuid().ToString("N"), 0u });
            var names = (List<object>)(await a.CallAsync(Bus, BusPath, Bus, "ListNames")).Body[0];
            Assert.Contains(a.UniqueName, names);
            Assert.Contains(b.UniqueName, names);
            Assert.Contains("org.freedesktop.DBus", names);
            string wellKnown = (string)names.First(n => ((string)n).StartsWith("org.aether.Test"));
            Assert.Equal(b.UniqueName, (await a.CallAsync(Bus, BusPath, Bus, "GetNameOwner", "s", new object[] { wellKnown })).Body[0]);
        }

        [Fact]
        public async Task Call_MissingService_FailsWithDBusErrorName()
        {
            using DBusConnection c = await _bus.ConnectAsync();
            var ex = await Assert.ThrowsAsync<DBusErrorException>(() =>
                c.CallAsync("org.aether.Nobody", "/x", "org.aether.X", "Y", timeout: TimeSpan.FromSeconds(5)));
            Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", ex.ErrorName);
        }

        [Fact]
        public async Task Call_ExportedMethodNeverAnswers_TimesOutWithNoReply()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            var never = new TaskCompletionSource<DBusReply>();
            var obj = new DBusExportedObject("/slow");
            obj.AddInterface("org.aether.Slow").Method("Wait", "", _ => never.Task);
            server.Export(obj);
            var ex = await Assert.ThrowsAsync<DBusErrorException>(() =>
                client.CallAsync(server.UniqueName, "/slow", "org.aether.Slow", "Wait", timeout: TimeSpan.FromMilliseconds(300)));
            Assert.Equal(DBusErrors.NoReply, ex.ErrorName);
            never.SetResult(DBusReply.Empty);
        }

        [Fact]
        public async Task ExportedObject_CalledFromSecondConnection_AnswersMethodsPropertiesAndErrors()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            string level = "low";
            var root = new DBusExportedObject("/app", isObjectManager: true);
            server.Export(root);
            var obj = new DBusExportedObject("/app/thing");
            obj.AddInterface("org.aether.Thing")
                .Method("Add", "ii", call => Task.FromResult(new DBusReply("i", (int)call.Args[0] + (int)call.Args[1])))
                .Method("Fail", "", _ => throw new DBusErrorException("org.aether.Error.Boom", "it broke"))
                .Property("Level", () => DBusVariant.Of(level), v => level = (string)v.Value)
                .Property("Id", () => DBusVariant.Of(42u));
            server.Export(obj);
            string dest = server.UniqueName;

            Assert.Equal(5, (await client.CallAsync(dest, "/app/thing", "org.aether.Thing", "Add", "ii", new object[] { 2, 3 })).Body[0]);

            var boom = await Assert.ThrowsAsync<DBusErrorException>(() => client.CallAsync(dest, "/app/thing", "org.aether.Thing", "Fail"));
            Assert.Equal("org.aether.Error.Boom", boom.ErrorName);
            Assert.Equal("it broke", boom.ErrorMessage);

            var unknownMethod = await Assert.ThrowsAsync<DBusErrorException>(() => client.CallAsync(dest, "/app/thing", "org.aether.Thing", "Nope"));
            Assert.Equal(DBusErrors.UnknownMethod, unknownMethod.ErrorName);
            var badArgs = await Assert.ThrowsAsync<DBusErrorException>(() => client.CallAsync(dest, "/app/thing", "org.aether.Thing", "Add", "s", new object[] { "x" }));
            Assert.Equal(DBusErrors.InvalidArgs, badArgs.ErrorName);
            var unknownObject = await Assert.ThrowsAsync<DBusErrorException>(() => client.CallAsync(dest, "/elsewhere", "org.aether.Thing", "Add", "ii", new object[] { 1, 1 }));
            Assert.Equal(DBusErrors.UnknownObject, unknownObject.ErrorName);

            string props = DBusConnection.PropertiesInterface;
            Assert.Equal(DBusVariant.Of("low"), (await client.CallAsync(dest, "/app/thing", props, "Get", "ss", new object[] { "org.aether.Thing", "Level" })).Body[0]);
            await client.CallAsync(dest, "/app/thing", props, "Set", "ssv", new object[] { "org.aether.Thing", "Level", DBusVariant.Of("high") });
            Assert.Equal("high", level);
            var all = (Dictionary<object, object>)(await client.CallAsync(dest, "/app/thing", props, "GetAll", "s", new object[] { "org.aether.Thing" })).Body[0];
            Assert.Equal(DBusVariant.Of(42u), all["Id"]);
            var readOnly = await Assert.ThrowsAsync<DBusErrorException>(() =>
                client.CallAsync(dest, "/app/thing", props, "Set", "ssv", new object[] { "org.aether.Thing", "Id", DBusVariant.Of(1u) }));
            Assert.Equal(DBusErrors.PropertyReadOnly, readOnly.ErrorName);

            var managed = (Dictionary<object, object>)(await client.CallAsync(dest, "/app", DBusConnection.ObjectManagerInterface, "GetManagedObjects")).Body[0];
            var thing = (Dictionary<object, object>)managed[new DBusObjectPath("/app/thing")];
            Assert.Equal(DBusVariant.Of("high"), ((Dictionary<object, object>)thing["org.aether.Thing"])["Level"]);
            Assert.False(managed.ContainsKey(new DBusObjectPath("/app")));

            string xml = (string)(await client.CallAsync(dest, "/app", DBusConnection.IntrospectableInterface, "Introspect")).Body[0];
            Assert.Contains("<node name=\"thing\"/>", xml);
            Assert.Contains(DBusConnection.ObjectManagerInterface, xml);
        }

        [Fact]
        public async Task Signal_WithAddMatch_ReachesSubscriberOnOtherConnection()
        {
            using DBusConnection emitter = await _bus.ConnectAsync();
            using DBusConnection listener = await _bus.ConnectAsync();
            var got = new TaskCompletionSource<DBusMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using IAsyncDisposable sub = await listener.SubscribeAsync(
                new DBusMatchRule(Sender: emitter.UniqueName, Interface: "org.aether.Events", Member: "Ping"), m => got.TrySetResult(m));
            emitter.EmitSignal("/events", "org.aether.Events", "Other", "s", new object[] { "ignored" });
            emitter.EmitSignal("/events", "org.aether.Events", "Ping", "sa{sv}", new object[] { "hello", new Dictionary<object, object> { ["n"] = DBusVariant.Of(7u) } });
            DBusMessage m = await got.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("Ping", m.Member);
            Assert.Equal("hello", m.Body[0]);
            Assert.Equal(DBusVariant.Of(7u), ((Dictionary<object, object>)m.Body[1])["n"]);
            Assert.Equal(emitter.UniqueName, m.Sender);
        }

        [Fact]
        public async Task UnixFd_PassedInReply_CarriesBytesToOtherEnd()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            using var pair = new FdPair();
            var obj = new DBusExportedObject("/fd");
            obj.AddInterface("org.aether.Fd").Method("Acquire", "", _ => Task.FromResult(new DBusReply("hq", new DBusUnixFd(pair.Remote), (ushort)185)));
            server.Export(obj);

            DBusMessage reply = await client.CallAsync(server.UniqueName, "/fd", "org.aether.Fd", "Acquire");
            var fd = (DBusUnixFd)reply.Body[0];
            Assert.Equal((ushort)185, reply.Body[1]);
            Assert.NotEqual(pair.Remote, fd.Fd);
            using var sender = new Socket(new SafeSocketHandle(fd.Fd, true));
            sender.Send(new byte[] { 1, 2, 3, 4 });
            var buffer = new byte[16];
            pair.Local.ReceiveTimeout = 5000;
            int n = pair.Local.Receive(buffer);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, buffer.Take(n).ToArray());
        }

        [Fact]
        public async Task Dispose_WhileCallPending_FailsCallWithDisconnected()
        {
            DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            var never = new TaskCompletionSource<DBusReply>();
            var obj = new DBusExportedObject("/slow");
            obj.AddInterface("org.aether.Slow").Method("Wait", "", _ => never.Task);
            server.Export(obj);
            Task<DBusMessage> pending = client.CallAsync(server.UniqueName, "/slow", "org.aether.Slow", "Wait", timeout: TimeSpan.FromSeconds(10));
            await Task.Delay(100);
            client.Dispose();
            var ex = await Assert.ThrowsAsync<DBusErrorException>(() => pending);
            Assert.Equal(DBusErrors.Disconnected, ex.ErrorName);
            server.Dispose();
        }

        [Fact]
        public void ParseUnixSocketPath_PathAbstractAndEscapes()
        {
            Assert.Equal("/tmp/x y", DBusAddress.ParseUnixSocketPath("unix:path=/tmp/x%20y,guid=abc"));
            Assert.Equal("\0dbus-1", DBusAddress.ParseUnixSocketPath("tcp:host=x;unix:abstract=dbus-1"));
            Assert.Throws<FormatException>(() => DBusAddress.ParseUnixSocketPath("tcp:host=localhost,port=1"));
        }

        private sealed class FdPair : IDisposable
        {
            public FdPair()
            {
                (int a, int b) = UnixFdNative.SeqPacketPair();
                Local = new Socket(new SafeSocketHandle(a, true));
                Remote = b;
            }

            public Socket Local { get; }

            public int Remote { get; }

            public void Dispose()
            {
                Local.Dispose();
                UnixFdNative.Close(Remote);
            }
        }
    }
}
