using System.Collections.Concurrent;
using AetherEdge.HostNode.Bluetooth;
using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Tests.Bluetooth
{
    /// <summary>
    /// What the BlueZ layer relies on from Tmds.DBus.Protocol, and what it adds (ObjectTree, BusMessages), checked
    /// between two connections on a real private dbus-daemon.
    /// </summary>
    public class BusIntegrationTests : IClassFixture<PrivateBus>
    {
        private const string Iface = "org.aether.Test";
        private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(5);
        private readonly PrivateBus _bus;

        public BusIntegrationTests(PrivateBus bus)
        {
            _bus = bus;
        }

        [Fact]
        public async Task Library_BareMethodHandler_AnswersPeerButLeavesPropertiesAndObjectManagerToUs()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            server.AddMethodHandler(new SilentHandler("/raw"));

            await BusMessages.CallAsync(client, server.UniqueName!, "/raw", "org.freedesktop.DBus.Peer", "Ping", s_limit);
            var getAll = await Assert.ThrowsAsync<DBusErrorReplyException>(() => BusMessages.CallAsync(client, server.UniqueName!, "/raw", BusMessages.PropertiesInterface, "GetAll", s_limit,
                "s", (ref MessageWriter w) => w.WriteString(Iface)));
            Assert.Equal(BusMessages.UnknownMethod, getAll.ErrorName);
            var managed = await Assert.ThrowsAsync<DBusErrorReplyException>(() => BusMessages.GetManagedObjectsAsync(client, server.UniqueName!, "/raw", s_limit));
            Assert.Equal(BusMessages.UnknownMethod, managed.ErrorName);
        }

        [Fact]
        public async Task ObjectTree_PropertiesOfEveryTypeBluezUses_RoundTripThroughTheDaemon()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            var tree = new ObjectTree("/app", new[] { "/app" }, _ => true, (_, _) => ValueTask.CompletedTask);
            tree.Add(new ExportedObject("/app/thing", new()
            {
                [Iface] = () => new()
                {
                    ["S"] = VariantValue.String("héllo"),
                    ["B"] = VariantValue.Bool(true),
                    ["N"] = VariantValue.Int16(-55),
                    ["Q"] = VariantValue.UInt16(517),
                    ["O"] = VariantValue.ObjectPath(new ObjectPath("/org/bluez/hci0")),
                    ["As"] = VariantValue.Array(new[] { "a", "", "c" }),
                    ["Ay"] = VariantValue.Array(new byte[] { 0, 1, 255 }),
                    ["Aqv"] = new Dict<ushort, VariantValue> { [0xFFFF] = VariantValue.Array(new byte[] { 9, 8 }), [1] = VariantValue.Array(Array.Empty<byte>()) }.AsVariantValue(),
                },
            }));
            tree.Add(new ExportedObject("/elsewhere", new() { [Iface] = () => new() }));
            server.AddMethodHandler(tree);
            var outside = new ObjectTree("/elsewhere", Array.Empty<string>(), _ => true, (_, _) => ValueTask.CompletedTask);
            server.AddMethodHandler(outside);

            Dictionary<string, VariantValue> all = await BusMessages.CallAsync(client, server.UniqueName!, "/app/thing", BusMessages.PropertiesInterface, "GetAll", s_limit,
                static (m, _) => m.GetBodyReader().ReadDictionaryOfStringToVariantValue(), "s", (ref MessageWriter w) => w.WriteString(Iface));
            AssertThing(all);

            VariantValue one = await BusMessages.GetPropertyAsync(client, server.UniqueName!, "/app/thing", Iface, "Q", s_limit);
            Assert.Equal((ushort)517, one.GetUInt16());

            var objects = await BusMessages.GetManagedObjectsAsync(client, server.UniqueName!, "/app", s_limit);
            Assert.Equal(new[] { "/app/thing" }, objects.Keys);
            AssertThing(objects["/app/thing"][Iface]);
        }

        private static void AssertThing(Dictionary<string, VariantValue> p)
        {
            Assert.Equal("héllo", p["S"].GetString());
            Assert.True(p["B"].GetBool());
            Assert.Equal((short)-55, p["N"].GetInt16());
            Assert.Equal((ushort)517, p["Q"].GetUInt16());
            Assert.Equal("/org/bluez/hci0", p["O"].GetObjectPathAsString());
            Assert.Equal(new[] { "a", "", "c" }, p["As"].GetArray<string>());
            Assert.Equal(new byte[] { 0, 1, 255 }, p["Ay"].GetArray<byte>());
            Dictionary<ushort, VariantValue> manufacturer = p["Aqv"].GetDictionary<ushort, VariantValue>();
            Assert.Equal(new byte[] { 9, 8 }, manufacturer[0xFFFF].GetArray<byte>());
            Assert.Empty(manufacturer[1].GetArray<byte>());
        }

        [Fact]
        public async Task ObjectTree_BadCalls_GetTheDBusErrorNames()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            var tree = new ObjectTree("/app", Array.Empty<string>(), _ => true, (context, _) =>
            {
                switch (context.Request.MemberAsString)
                {
                    case "Add":
                        Reader args = ObjectTree.Arguments(context, "ii");
                        int sum = args.ReadInt32() + args.ReadInt32();
                        using (MessageWriter reply = context.CreateReplyWriter("i"))
                        {
                            reply.WriteInt32(sum);
                            context.Reply(reply.CreateMessage());
                        }

                        break;
                    case "Fail":
                        throw new DBusErrorReplyException("org.aether.Error.Boom", "it broke");
                    case "Crash":
                        throw new InvalidOperationException("a bug in a handler");
                }

                return ValueTask.CompletedTask;
            });
            tree.Add(new ExportedObject("/app/thing", new() { [Iface] = () => new() { ["Level"] = VariantValue.String("low") } }));
            server.AddMethodHandler(tree);
            string dest = server.UniqueName!;

            int five = await BusMessages.CallAsync(client, dest, "/app/thing", Iface, "Add", s_limit, static (m, _) => m.GetBodyReader().ReadInt32(), "ii", (ref MessageWriter w) =>
            {
                w.WriteInt32(2);
                w.WriteInt32(3);
            });
            Assert.Equal(5, five);

            async Task<string> ErrorOf(Func<Task> call) => (await Assert.ThrowsAsync<DBusErrorReplyException>(call)).ErrorName;
            var boom = await Assert.ThrowsAsync<DBusErrorReplyException>(() => BusMessages.CallAsync(client, dest, "/app/thing", Iface, "Fail", s_limit));
            Assert.Equal(("org.aether.Error.Boom", "it broke"), (boom.ErrorName, boom.ErrorMessage));
            // a handler bug fails that call only; the server's connection carries on (the calls below)
            var crash = await Assert.ThrowsAsync<DBusErrorReplyException>(() => BusMessages.CallAsync(client, dest, "/app/thing", Iface, "Crash", s_limit));
            Assert.Equal(("org.freedesktop.DBus.Error.Failed", "a bug in a handler"), (crash.ErrorName, crash.ErrorMessage));
            Assert.Equal(BusMessages.UnknownMethod, await ErrorOf(() => BusMessages.CallAsync(client, dest, "/app/thing", Iface, "Nope", s_limit)));
            Assert.Equal(BusMessages.InvalidArgs, await ErrorOf(() => BusMessages.CallAsync(client, dest, "/app/thing", Iface, "Add", s_limit, "s", (ref MessageWriter w) => w.WriteString("x"))));
            Assert.Equal(BusMessages.UnknownObject, await ErrorOf(() => BusMessages.CallAsync(client, dest, "/app/other", Iface, "Add", s_limit)));
            Assert.Equal(BusMessages.InvalidArgs, await ErrorOf(() => BusMessages.GetPropertyAsync(client, dest, "/app/thing", "org.aether.None", "Level", s_limit)));
            Assert.Equal(BusMessages.InvalidArgs, await ErrorOf(() => BusMessages.GetPropertyAsync(client, dest, "/app/thing", Iface, "Missing", s_limit)));
            Assert.Equal(BusMessages.PropertyReadOnly, await ErrorOf(() => BusMessages.CallAsync(client, dest, "/app/thing", BusMessages.PropertiesInterface, "Set", s_limit, "ssv", (ref MessageWriter w) =>
            {
                w.WriteString(Iface);
                w.WriteString("Level");
                w.WriteVariant(VariantValue.String("high"));
            })));
            Assert.Equal("low", (await BusMessages.GetPropertyAsync(client, dest, "/app/thing", Iface, "Level", s_limit)).GetString());
            Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", await ErrorOf(() => BusMessages.CallAsync(client, "org.aether.Nobody", "/x", Iface, "Y", s_limit)));
        }

        [Fact]
        public async Task Call_NeverAnswered_FailsWithNoReplyAndTheConnectionStaysUsable()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            var held = new ConcurrentQueue<MethodContext>();
            var tree = new ObjectTree("/slow", Array.Empty<string>(), _ => true, (context, _) =>
            {
                if (context.Request.MemberAsString == "Wait")
                {
                    context.DisposesAsynchronously = true;
                    held.Enqueue(context);
                }
                else
                {
                    ObjectTree.ReplyEmpty(context);
                }

                return ValueTask.CompletedTask;
            });
            tree.Add(new ExportedObject("/slow", new()));
            server.AddMethodHandler(tree);

            var ex = await Assert.ThrowsAsync<DBusErrorReplyException>(() => BusMessages.CallAsync(client, server.UniqueName!, "/slow", Iface, "Wait", TimeSpan.FromMilliseconds(300)));
            Assert.Equal(BusMessages.NoReply, ex.ErrorName);
            Assert.Contains("Wait", ex.ErrorMessage);

            // the late reply is dropped and the next call works
            Assert.True(held.TryDequeue(out MethodContext? late));
            ObjectTree.ReplyEmpty(late);
            late.Dispose();
            await BusMessages.CallAsync(client, server.UniqueName!, "/slow", Iface, "Now", s_limit);
        }

        [Fact]
        public async Task Call_PendingWhenConnectionIsDisposed_FailsAsGone()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            DBusConnection client = await _bus.ConnectAsync();
            var tree = new ObjectTree("/slow", Array.Empty<string>(), _ => true, (context, _) =>
            {
                context.DisposesAsynchronously = true; // never answered
                return ValueTask.CompletedTask;
            });
            tree.Add(new ExportedObject("/slow", new()));
            server.AddMethodHandler(tree);
            Task pending = BusMessages.CallAsync(client, server.UniqueName!, "/slow", Iface, "Wait", TimeSpan.FromSeconds(30));
            await Task.Delay(100);
            client.Dispose();
            Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => pending.WaitAsync(s_limit));
            Assert.True(BusMessages.IsGone(ex), ex.ToString());
        }

        [Fact]
        public async Task Watch_SignalsWithAnUnexpectedBodyOrAThrowingHandler_AreSkippedAndLaterOnesStillArrive()
        {
            using DBusConnection emitter = await _bus.ConnectAsync();
            using DBusConnection listener = await _bus.ConnectAsync();
            var got = new BlockingCollection<string>();
            using IDisposable watch = await BusMessages.WatchAsync(listener,
                new MatchRule { Type = MessageType.Signal, Sender = emitter.UniqueName, Interface = Iface, Member = "Changed" }, "sa{sv}",
                static (m, _) =>
                {
                    Reader r = m.GetBodyReader();
                    string name = r.ReadString();
                    return name + "=" + r.ReadDictionaryOfStringToVariantValue()["n"].GetUInt32();
                },
                value =>
                {
                    if (value.StartsWith("boom", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("a subscriber's bug");
                    }

                    got.Add(value);
                });

            BusMessages.EmitSignal(emitter, "/events", Iface, "Changed", "sa{sv}", (ref MessageWriter w) =>
            {
                w.WriteString("boom");
                w.WriteDictionary(new Dictionary<string, VariantValue> { ["n"] = VariantValue.UInt32(1) });
            });
            BusMessages.EmitSignal(emitter, "/events", Iface, "Other", "sa{sv}", (ref MessageWriter w) =>
            {
                w.WriteString("ignored");
                w.WriteDictionary(new Dictionary<string, VariantValue> { ["n"] = VariantValue.UInt32(0) });
            });
            BusMessages.EmitSignal(emitter, "/events", Iface, "Changed", "s", (ref MessageWriter w) => w.WriteString("wrong shape"));
            BusMessages.EmitSignal(emitter, "/events", Iface, "Changed", "sa{sv}", (ref MessageWriter w) =>
            {
                // right signature, but "n" is a string: the reader fails on it
                w.WriteString("bad");
                w.WriteDictionary(new Dictionary<string, VariantValue> { ["n"] = VariantValue.String("7") });
            });
            BusMessages.EmitSignal(emitter, "/events", Iface, "Changed", "sa{sv}", (ref MessageWriter w) =>
            {
                w.WriteString("good");
                w.WriteDictionary(new Dictionary<string, VariantValue> { ["n"] = VariantValue.UInt32(7) });
            });

            Assert.True(got.TryTake(out string? first, s_limit));
            Assert.Equal("good=7", first);
            Assert.False(got.TryTake(out _, TimeSpan.FromMilliseconds(200)));
            await BusMessages.CallAsync(listener, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.Peer", "Ping", s_limit);
        }

        [Fact]
        public async Task Call_CallerThatBlocksAfterAwaiting_DoesNotStallSignalsOnItsConnection()
        {
            using DBusConnection server = await _bus.ConnectAsync();
            using DBusConnection client = await _bus.ConnectAsync();
            var tree = new ObjectTree("/obj", Array.Empty<string>(), _ => true, (context, _) =>
            {
                ObjectTree.ReplyEmpty(context);
                BusMessages.EmitSignal(server, "/obj", Iface, "After");
                return ValueTask.CompletedTask;
            });
            tree.Add(new ExportedObject("/obj", new()));
            server.AddMethodHandler(tree);
            var signals = new BlockingCollection<string>();
            using IDisposable watch = await BusMessages.WatchAsync(client,
                new MatchRule { Type = MessageType.Signal, Sender = server.UniqueName, Interface = Iface, Member = "After" }, "",
                static (m, _) => m.MemberAsString ?? "", signals.Add);

            await BusMessages.CallAsync(client, server.UniqueName!, "/obj", Iface, "Go", s_limit);
            // a caller blocking here must not be sitting on the connection's reader, or the signal never comes
            Assert.True(signals.TryTake(out string? after, s_limit));
            Assert.Equal("After", after);
        }

        /// <summary>A handler that answers nothing: what the library does on its own.</summary>
        private sealed class SilentHandler : IPathMethodHandler
        {
            public SilentHandler(string path)
            {
                Path = path;
            }

            public string Path { get; }

            public bool HandlesChildPaths => false;

            public ValueTask HandleMethodAsync(MethodContext context) => ValueTask.CompletedTask;
        }
    }
}
