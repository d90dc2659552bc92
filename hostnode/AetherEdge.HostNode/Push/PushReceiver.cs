using System.Net.Security;
using System.Security.Cryptography;
using AetherEdge.Core.Protocol;
using AetherEdge.Core.Sync;
using AetherEdge.HostNode.Identity;
using AetherEdge.HostNode.Storage;
using AetherEdge.HostNode.Sync;
using AetherEdge.HostNode.Diagnostics;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace AetherEdge.HostNode.Push
{
    /// <summary>
    /// Takes shards a trusted peer's put streams here (ALPN <see cref="PushProtocol.Alpn"/> on the sync port,
    /// registered at construction). Each arrives as ShardChunk frames under a provisional id, written to a temp
    /// file in the store and hashed once as it arrives (<see cref="PipelinedHash"/>); its Pushed frame names the SHA-256, which must equal
    /// ours. Completed shards are fsynced and indexed in batches (when <see cref="PushProtocol.AdoptBatch"/>
    /// are waiting or the sender pauses, i.e. waits for Acks) and acknowledged. Bounded: open shards per
    /// connection, bytes by the free allocation, time by the session idle timeout. Whatever a dropped
    /// connection left half-received is deleted.
    /// </summary>
    public sealed class PushReceiver : IHostedService, IMetricsSource
    {
        private readonly ShardStore _store;
        private readonly ShardStoreSyncStore _sync;
        private readonly PushedLedger _ledger;
        private readonly TimeSpan _idle;
        private readonly Counter _bytesCounter;
        private readonly Counter _shardsCounter;
        private long _received;
        private long _shards;

        public PushReceiver(SyncNode node, ShardStore store, ShardStoreSyncStore sync, PushedLedger ledger, SyncSessionOptions sessions, IMetricFactory metrics)
        {
            _store = store;
            _sync = sync;
            _ledger = ledger;
            _idle = sessions.IdleTimeout;
            _bytesCounter = metrics.CreateCounter("aether_push_bytes_received_total", "Bytes of shards peers' puts streamed here (stored or not).");
            _shardsCounter = metrics.CreateCounter("aether_push_shards_stored_total", "Shards peers' puts streamed here and stored.");
            node.AcceptProtocol(PushProtocol.Alpn, ServeAsync);
        }

        /// <summary>Bytes of pushed shards received (stored or not).</summary>
        public long BytesReceived => Interlocked.Read(ref _received);

        /// <summary>Pushed shards stored.</summary>
        public long ShardsStored => Interlocked.Read(ref _shards);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>Serves one authenticated push link until the peer closes it, breaks a rule or goes quiet.</summary>
        public async Task ServeAsync(SslStream ssl, DeviceId peer, CancellationToken cancellation)
        {
            var open = new Dictionary<string, Incoming>(StringComparer.Ordinal);
            var done = new List<(string Provisional, string Id, string Path)>();
            var fileOf = new Dictionary<string, string>(StringComparer.Ordinal);
            var recorded = new HashSet<string>(StringComparer.Ordinal);
            var buffer = new byte[SyncLimits.MaxFrameBytes];
            var reply = new byte[SyncLimits.MaxFrameBytes];
            var replay = new ReplayWindow();
            long reserved = 0;
            try
            {
                while (true)
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                    quiet.CancelAfter(_idle);
                    var next = PushProtocol.ReadAsync(ssl, buffer, quiet.Token);
                    if (!next.IsCompleted && done.Count > 0)
                    {
                        // The sender paused (it waits for Acks): make what it sent durable now.
                        Adopt(done, fileOf, recorded, peer, ssl, reply);
                    }

                    SyncFrame? frame;
                    try
                    {
                        frame = await next.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                    {
                        throw new IOException("push link quiet for " + _idle.TotalSeconds + " s");
                    }

                    if (frame == null)
                    {
                        break;
                    }

                    replay.Check(frame.TimestampMilliseconds, frame.Nonce, SyncConnection.NowMilliseconds());
                    switch (frame)
                    {
                        case ShardChunkFrame chunk:
                            reserved += Append(open, fileOf, chunk, reserved);
                            break;
                        case PushedFrame pushed:
                            if (!open.Remove(pushed.Id, out var item) || item.Written != item.Total)
                            {
                                throw new ProtocolViolationException("Pushed '" + pushed.Id + "' before all of its bytes");
                            }

                            byte[] hash = item.Finish();
                            reserved -= item.Total;
                            Interlocked.Add(ref _received, item.Total);
                            _bytesCounter.Inc(item.Total);
                            if (!CryptographicOperations.FixedTimeEquals(hash, pushed.Hash))
                            {
                                File.Delete(item.Path);
                                fileOf.Remove(pushed.Id);
                                Send(ssl, reply, new AckFrame(pushed.Id, AckStatus.BadHash));
                                break;
                            }

                            done.Add((pushed.Id, Convert.ToHexStringLower(hash), item.Path));
                            if (done.Count >= PushProtocol.AdoptBatch)
                            {
                                Adopt(done, fileOf, recorded, peer, ssl, reply);
                            }

                            break;
                        case ErrorFrame:
                            return;
                        default:
                            throw new ProtocolViolationException(frame.Type + " frame on a push link");
                    }
                }

                Adopt(done, fileOf, recorded, peer, ssl, reply);
            }
            catch (ProtocolViolationException e)
            {
                TrySend(ssl, reply, new ErrorFrame(SyncErrorCode.ProtocolViolation, Clip(e.Message)));
            }
            finally
            {
                _ledger.Release(recorded);
                foreach (var item in open.Values)
                {
                    item.Abandon();
                }

                foreach (var d in done)
                {
                    File.Delete(d.Path);
                }
            }
        }

        private long Append(Dictionary<string, Incoming> open, Dictionary<string, string> fileOf, ShardChunkFrame chunk, long reserved)
        {
            long added = 0;
            if (!open.TryGetValue(chunk.Id, out var item))
            {
                if (chunk.Offset != 0)
                {
                    throw new ProtocolViolationException("ShardChunk of '" + chunk.Id + "' starts at " + chunk.Offset + ", not 0");
                }

                if (!PushProtocol.TryParseProvisional(chunk.Id, out string fileId))
                {
                    throw new ProtocolViolationException("'" + chunk.Id + "' is not a provisional shard id");
                }

                if (open.Count >= PushProtocol.MaxOpenPerConnection)
                {
                    throw new ProtocolViolationException("over " + PushProtocol.MaxOpenPerConnection + " pushed shards open at once");
                }

                if (reserved + chunk.TotalLength > _store.AvailableBytes)
                {
                    throw new ProtocolViolationException("pushed shards of " + (reserved + chunk.TotalLength) + " bytes exceed the " + _store.AvailableBytes + " bytes free here");
                }

                item = new Incoming(_store.NewTempPath(), chunk.TotalLength);
                open[chunk.Id] = item;
                fileOf[chunk.Id] = fileId;
                added = chunk.TotalLength;
            }

            if (chunk.Offset != item.Written || chunk.TotalLength != item.Total)
            {
                throw new ProtocolViolationException("ShardChunk of '" + chunk.Id + "' at " + chunk.Offset + " of " + chunk.TotalLength + ", expected " + item.Written + " of " + item.Total);
            }

            item.Append(chunk.Data, chunk.DataOffset, chunk.DataLength);
            return added;
        }

        private void Adopt(List<(string Provisional, string Id, string Path)> done, Dictionary<string, string> fileOf, HashSet<string> recorded, DeviceId peer, SslStream ssl, byte[] reply)
        {
            if (done.Count == 0)
            {
                return;
            }

            // Noted before they are kept and acknowledged: if the origin never commits the manifest, the sweep finds them.
            foreach (var byFile in done.GroupBy(d => fileOf[d.Provisional]))
            {
                _ledger.Record(byFile.Key, peer, byFile.Select(d => d.Id), recorded.Add(byFile.Key));
            }

            foreach (var d in done)
            {
                fileOf.Remove(d.Provisional);
            }

            var statuses = _sync.AdoptPushed(done.ConvertAll(d => (d.Id, d.Path)));
            for (int i = 0; i < done.Count; i++)
            {
                if (statuses[i] == AckStatus.Ok)
                {
                    Interlocked.Increment(ref _shards);
                    _shardsCounter.Inc();
                }

                Send(ssl, reply, new AckFrame(done[i].Provisional, statuses[i]));
            }

            done.Clear();
            ssl.Flush();
        }

        private static void Send(SslStream ssl, byte[] buffer, SyncFrame frame)
        {
            int n = PushProtocol.Encode(frame, buffer);
            ssl.Write(buffer, 0, n);
        }

        private static void TrySend(SslStream ssl, byte[] buffer, SyncFrame frame)
        {
            try
            {
                Send(ssl, buffer, frame);
                ssl.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The link is gone; the sender fails its waits either way.
            }
        }

        private static string Clip(string s) => s.Length <= 180 ? s : s.Substring(0, 180);

        /// <summary>One shard arriving: its temp file and running hash.</summary>
        private sealed class Incoming
        {
            private readonly FileStream _file;
            // Hashed on a worker past the first 4 MiB, so this link's reader only decrypts and writes.
            private readonly PipelinedHash _hash = new();

            public Incoming(string path, long total)
            {
                Path = path;
                Total = total;
                _file = ShardStore.CreateTemp(path);
            }

            public string Path { get; }

            public long Total { get; }

            public long Written { get; private set; }

            public void Append(byte[] data, int offset, int count)
            {
                long started = Diagnostics.StageCounter.Start();
                _file.Write(data, offset, count);
                SyncStages.Shared.Write.Stop(started, count);
                _hash.Append(data, offset, count);
                Written += count;
            }

            /// <summary>Closes the file (kept for adoption) and returns the SHA-256 of what arrived.</summary>
            public byte[] Finish()
            {
                _file.Dispose();
                byte[] h = _hash.Finish();
                _hash.Dispose();
                return h;
            }

            public void Abandon()
            {
                _file.Dispose();
                _hash.Dispose();
                File.Delete(Path);
            }
        }
    }
}
