using System.Net;
using System.Net.Sockets;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Trust;
using AetherEdge.TestSupport;

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>Pulls every item the peer has that the local store lacks.</summary>
    internal sealed class PullAllHosts : ISyncHostFactory
    {
        private readonly FileSyncStore _store;

        public PullAllHosts(FileSyncStore store)
        {
            _store = store;
        }

        public ISyncSessionHost Create(DeviceId peer) => new Host(_store);

        private sealed class Host : ISyncSessionHost
        {
            private readonly FileSyncStore _store;

            public Host(FileSyncStore store)
            {
                _store = store;
            }

            public void OnPeerHello(HelloFrame hello)
            {
            }

            private readonly PeerInventoryList _offered = new();

            public long HeldPeerInventoryVersion() => 0;

            public void OnPeerInventory(InventoryChanges part, bool first, bool final) => _offered.Apply(part, first);

            public string[] ChooseWants() =>
                _offered.ToArray().Where(e => e.Kind == SyncItemKind.Manifest ? !_store.HasManifest(e.Id) : !_store.HasShard(e.Id)).Select(e => e.Id).ToArray();

            public void OnItemReceived(string id, SyncItemKind kind, AckStatus status, long bytes)
            {
            }

            public void OnItemServed(string id, AckStatus status)
            {
            }

            public void OnBytesReceived(long bytes)
            {
            }
        }
    }

    /// <summary>A node in a temp home with its own identity, trust circle, store and listener on 127.0.0.1.</summary>
    internal sealed class TestNode : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _serving;
        private TcpListener? _listener;

        public TestNode(string name, SyncSessionOptions? sessions = null, int protocol = 1, Func<FileSyncStore, ISyncStore>? wrap = null)
        {
            Home = Path.Combine(Path.GetTempPath(), "aesy-" + name + "-" + Guid.NewGuid().ToString("N"));
            Identity = NodeIdentity.LoadOrCreate(Home);
            Circle = new TrustCircle(Home);
            Store = new FileSyncStore(Path.Combine(Home, "store"));
            Policy = TlsPeerPolicy.ForCircle(Identity, Circle);
            Node = new SyncNode(Identity, Policy, wrap == null ? Store : wrap(Store), new PullAllHosts(Store),
                () => new HelloFrame(protocol, 3, 1_000_000_000, Store.UsedBytes, 100, HelloFrame.FlagAlwaysOn, name), 64 * 1024, sessions: sessions);
        }

        public string Home { get; }

        public NodeIdentity Identity { get; }

        public TrustCircle Circle { get; }

        public FileSyncStore Store { get; }

        public TlsPeerPolicy Policy { get; }

        public SyncNode Node { get; }

        public IPEndPoint EndPoint => (IPEndPoint)_listener!.LocalEndpoint;

        public void Trust(TestNode other) => Circle.Add(other.Identity.DeviceId, "peer", DateTimeOffset.UtcNow);

        public void Listen()
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _serving = Node.ServeAsync(_listener, _stop.Token);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener?.Stop();
            try
            {
                _serving?.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
            }

            Identity.Dispose();
            if (Directory.Exists(Home))
            {
                Directory.Delete(Home, true);
            }
        }
    }

    /// <summary>A transport that fails after a number of bytes have been read (a dropped Wi-Fi link).</summary>
    internal sealed class DropAfterStream : Stream
    {
        private readonly Stream _inner;
        private long _budget;

        public DropAfterStream(Stream inner, long readBudget)
        {
            _inner = inner;
            _budget = readBudget;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => _inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_budget <= 0)
            {
                _inner.Dispose();
                throw new IOException("simulated link drop");
            }

            int n = await _inner.ReadAsync(buffer.Slice(0, (int)Math.Min(buffer.Length, _budget)), cancellationToken);
            _budget -= n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.WriteAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

namespace AetherEdge.HostNode.Tests.Sync
{
    /// <summary>A store whose hashing takes <c>delay</c> (a cold disk under a large shard); everything else passes through.</summary>
    internal sealed class SlowHashStore : ISyncStore
    {
        private readonly ISyncStore _inner;
        private readonly TimeSpan _delay;

        public SlowHashStore(ISyncStore inner, TimeSpan delay)
        {
            _inner = inner;
            _delay = delay;
        }

        public InventoryEntry[] ListItems() => _inner.ListItems();

        public InventoryChanges InventorySince(long since) => _inner.InventorySince(since);

        public long LengthOf(string id) => _inner.LengthOf(id);

        public byte[]? HashOf(string id)
        {
            Thread.Sleep(_delay);
            return _inner.HashOf(id);
        }

        public int Read(string id, long position, byte[] buffer, int offset, int count) => _inner.Read(id, position, buffer, offset, count);

        public byte[]? ReadManifest(string id) => _inner.ReadManifest(id);

        public long PartialLength(string id) => _inner.PartialLength(id);

        public void DiscardPartial(string id) => _inner.DiscardPartial(id);

        public void AppendPartial(string id, long position, byte[] data, int offset, int count) => _inner.AppendPartial(id, position, data, offset, count);

        public AckStatus CompletePartial(string id, long totalLength, byte[] hash) => _inner.CompletePartial(id, totalLength, hash);

        public AckStatus StoreManifest(string id, byte[] data) => _inner.StoreManifest(id, data);

        public RemovalEntry[] ListRemovals() => _inner.ListRemovals();

        public void ApplyRemoval(string id, long removedAtMilliseconds) => _inner.ApplyRemoval(id, removedAtMilliseconds);
    }
}
