using System.Security.Cryptography;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Hub;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Peers;
using AetherEdge.HostNode.Sync;
using AetherEdge.TestSupport;

namespace AetherEdge.HostNode.Tests.Hub
{
    /// <summary>
    /// The hub's choice of wants with inventory versions (protocol 3), through the session host interface: what was
    /// wanted and did not arrive is asked for again although nothing changed; an unchanged inventory over an
    /// unchanged store looks at nothing.
    /// </summary>
    public sealed class HubSyncHostsWantsTests
    {
        private static readonly string[] s_ids = Enumerable.Range(0, 3).Select(i => Convert.ToHexStringLower(SHA256.HashData(new[] { (byte)i }))).ToArray();
        private readonly DeviceId _peer = DeviceId.FromPublicKeyInfo(RandomNumberGenerator.GetBytes(64));
        private readonly LoggedStore _store = new();
        private readonly HubSyncHosts _hosts;

        public HubSyncHostsWantsTests()
        {
            _hosts = new HubSyncHosts(_store, new PullWithinAllocation(() => long.MaxValue), new PeerKnowledge(_ => true, PeerKnowledge.DefaultOnlineWindow));
        }

        private string[] Session(InventoryChanges inventory, Action<ISyncSessionHost>? then = null)
        {
            var host = _hosts.Create(_peer);
            host.OnPeerInventory(inventory, true, true);
            var wants = host.ChooseWants();
            then?.Invoke(host);
            (host as IDisposable)?.Dispose();
            return wants;
        }

        private static InventoryChanges Unchanged(long v) => new(v, false, v, Array.Empty<InventoryEntry>(), Array.Empty<string>());

        [Fact]
        public void WantedAndNotReceived_AskedAgainInTheNextSession_ThoughNothingChanged()
        {
            var whole = InventoryChanges.WholeAt(5, s_ids.Select(id => new InventoryEntry(SyncItemKind.Shard, id, 10)).ToArray());
            Assert.Equal(s_ids.Order(), Session(whole, h => h.OnItemReceived(s_ids[0], SyncItemKind.Shard, AckStatus.NotHeld, 0)).Order());
            Assert.Equal(5, _hosts.Create(_peer).HeldPeerInventoryVersion());

            Assert.Equal(s_ids.Order(), Session(Unchanged(5)).Order());
        }

        [Fact]
        public void ReceivedSinceThen_NotAskedAgain_AndAnIdleSessionLooksAtNothing()
        {
            var whole = InventoryChanges.WholeAt(5, s_ids.Select(id => new InventoryEntry(SyncItemKind.Shard, id, 10)).ToArray());
            Session(whole);
            foreach (string id in s_ids)
            {
                _store.Add(id);
            }

            Assert.Empty(Session(Unchanged(5)));
            long looked = _hosts.ItemsEvaluated;

            Assert.Empty(Session(Unchanged(5)));
            Assert.Equal(looked, _hosts.ItemsEvaluated);
        }

        [Fact]
        public void DeltaAddingOneItem_LooksAtThatItemOnly()
        {
            Session(InventoryChanges.WholeAt(5, s_ids.Take(2).Select(id => new InventoryEntry(SyncItemKind.Shard, id, 10)).ToArray()));
            _store.Add(s_ids[0]);
            _store.Add(s_ids[1]);
            Session(Unchanged(5));
            long looked = _hosts.ItemsEvaluated;

            var wants = Session(new InventoryChanges(6, false, 5, new[] { new InventoryEntry(SyncItemKind.Shard, s_ids[2], 10) }, Array.Empty<string>()));

            Assert.Equal(new[] { s_ids[2] }, wants);
            Assert.Equal(looked + 1, _hosts.ItemsEvaluated);
        }

        /// <summary>Holds shard ids and logs every change (as the hub's held index does); serves nothing.</summary>
        private sealed class LoggedStore : INodeStore
        {
            private readonly HashSet<string> _held = new(StringComparer.Ordinal);
            private readonly ChangeLog _log = new(1024);

            public void Add(string id)
            {
                _held.Add(id);
                _log.Add(id);
            }

            public long UsedBytes => 0;

            public long Version => _log.Cursor;

            public long ChangeCursor => _log.Cursor;

            public string PartialDir => throw new NotSupportedException();

            public IReadOnlyList<string>? ChangedSince(long cursor) => _log.Since(cursor);

            public bool HasShard(string id) => _held.Contains(id);

            public bool HasManifest(string id) => false;

            public IReadOnlyList<string> ManifestIds() => Array.Empty<string>();

            public void ClosePartials()
            {
            }

            public void PeerRefused(string id)
            {
            }

            public InventoryEntry[] ListItems() => Array.Empty<InventoryEntry>();

            public InventoryChanges InventorySince(long since) => InventoryChanges.WholeAt(1, ListItems());

            public long LengthOf(string id) => -1;

            public byte[]? HashOf(string id) => null;

            public int Read(string id, long position, byte[] buffer, int offset, int count) => 0;

            public byte[]? ReadManifest(string id) => null;

            public long PartialLength(string id) => 0;

            public void DiscardPartial(string id)
            {
            }

            public void AppendPartial(string id, long position, byte[] data, int offset, int count) => throw new NotSupportedException();

            public AckStatus CompletePartial(string id, long totalLength, byte[] hash) => throw new NotSupportedException();

            public AckStatus StoreManifest(string id, byte[] data) => throw new NotSupportedException();

            public RemovalEntry[] ListRemovals() => Array.Empty<RemovalEntry>();

            public void ApplyRemoval(string id, long removedAtMilliseconds)
            {
            }
        }
    }
}
