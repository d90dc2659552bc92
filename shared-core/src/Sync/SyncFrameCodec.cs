using System;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Sync
{
    /// <summary>
    /// Encodes and decodes sync frames (layout in README.md). Pure: no I/O, no clock.
    /// Writing into too small a buffer returns false; malformed input throws
    /// <see cref="ProtocolViolationException"/> naming the problem.
    /// </summary>
    public static class SyncFrameCodec
    {
        /// <summary>Total encoded size of <paramref name="frame"/>.</summary>
        public static int EncodedLength(SyncFrame frame)
        {
            return SyncLimits.HeaderBytes + frame.PayloadLength;
        }

        /// <summary>Writes <paramref name="frame"/>; false (nothing written) when it does not fit in <paramref name="count"/>.</summary>
        public static bool TryWrite(SyncFrame frame, byte[] buffer, int offset, int count, out int written)
        {
            written = 0;
            int payload = frame.PayloadLength;
            if (payload > SyncLimits.MaxPayloadBytes)
            {
                throw new ArgumentException("frame over " + SyncLimits.MaxFrameBytes + " bytes");
            }

            int total = SyncLimits.HeaderBytes + payload;
            if (count < total || offset < 0 || offset + count > buffer.Length)
            {
                return false;
            }

            buffer[offset] = SyncLimits.Magic;
            buffer[offset + 1] = SyncLimits.Version;
            buffer[offset + 2] = (byte)frame.Type;
            buffer[offset + 3] = 0;
            WireFormat.WriteUInt32(buffer, offset + 4, payload);
            WireFormat.WriteInt64(buffer, offset + 8, frame.TimestampMilliseconds);
            WireFormat.WriteUInt64(buffer, offset + 16, frame.Nonce);
            frame.WritePayload(buffer, offset + SyncLimits.HeaderBytes);
            written = total;
            return true;
        }

        /// <summary>
        /// Length of the frame starting at <paramref name="offset"/> once its header is in; -1 while
        /// fewer than HeaderBytes are available. Validates magic, version, type and length.
        /// </summary>
        public static int PeekFrameLength(byte[] buffer, int offset, int count)
        {
            if (count < SyncLimits.HeaderBytes)
            {
                if (count >= 1 && buffer[offset] != SyncLimits.Magic)
                {
                    throw new ProtocolViolationException("frame does not start with magic 0xAE");
                }

                return -1;
            }

            if (buffer[offset] != SyncLimits.Magic)
            {
                throw new ProtocolViolationException("frame does not start with magic 0xAE");
            }

            if (buffer[offset + 1] != SyncLimits.Version)
            {
                throw new ProtocolViolationException("frame version " + buffer[offset + 1] + " is not supported (expected " + SyncLimits.Version + ")");
            }

            int type = buffer[offset + 2];
            if ((type < (int)SyncFrameType.Hello || type > (int)SyncFrameType.Pushed) && type != (int)SyncFrameType.InventoryHeld &&
                type != (int)SyncFrameType.InventoryDelta && type != (int)SyncFrameType.Routed)
            {
                throw new ProtocolViolationException("unknown frame type " + type);
            }

            if (buffer[offset + 3] != 0)
            {
                throw new ProtocolViolationException("reserved header flags are not zero");
            }

            long payload = WireFormat.ReadUInt32(buffer, offset + 4);
            if (payload > SyncLimits.MaxPayloadBytes)
            {
                throw new ProtocolViolationException("frame payload of " + payload + " bytes is over the " + SyncLimits.MaxPayloadBytes + "-byte limit");
            }

            return SyncLimits.HeaderBytes + (int)payload;
        }

        /// <summary>
        /// Decodes one frame. Returns bytes consumed, or 0 when the frame is not complete yet
        /// (<paramref name="frame"/> is then null). A ShardChunk's Data is the input buffer itself:
        /// consume or copy it before reusing <paramref name="buffer"/>.
        /// </summary>
        public static int TryRead(byte[] buffer, int offset, int count, out SyncFrame? frame)
        {
            frame = null;
            int length = PeekFrameLength(buffer, offset, count);
            if (length < 0 || count < length)
            {
                return 0;
            }

            var type = (SyncFrameType)buffer[offset + 2];
            long timestamp = (long)WireFormat.ReadUInt64(buffer, offset + 8);
            ulong nonce = WireFormat.ReadUInt64(buffer, offset + 16);
            var r = new PayloadReader(buffer, offset + SyncLimits.HeaderBytes, length - SyncLimits.HeaderBytes, type.ToString());
            SyncFrame f = ReadPayload(type, r);
            r.End();
            f.TimestampMilliseconds = timestamp;
            f.Nonce = nonce;
            frame = f;
            return length;
        }

        private static SyncFrame ReadPayload(SyncFrameType type, PayloadReader r)
        {
            switch (type)
            {
                case SyncFrameType.Hello:
                    return ReadHello(r);
                case SyncFrameType.Inventory:
                    return ReadInventory(r);
                case SyncFrameType.Want:
                    return ReadWant(r);
                case SyncFrameType.Have:
                    {
                        string id = r.ItemId("item id");
                        int held = r.Byte("held flag");
                        if (held > 1)
                        {
                            throw new ProtocolViolationException("Have frame held flag must be 0 or 1");
                        }

                        long total = r.NonNegativeInt64("total length");
                        return new HaveFrame(id, held == 1, total, r.Bytes(SyncLimits.HashBytes, "hash"));
                    }

                case SyncFrameType.ShardChunk:
                    return ReadChunk(r);
                case SyncFrameType.Ack:
                    {
                        string id = r.ItemId("item id");
                        int status = r.Byte("status");
                        if (status > (int)AckStatus.StoreError)
                        {
                            throw new ProtocolViolationException("Ack frame has unknown status " + status);
                        }

                        return new AckFrame(id, (AckStatus)status);
                    }

                case SyncFrameType.Manifest:
                    {
                        string id = r.ItemId("manifest id");
                        long n = r.UInt32("manifest length");
                        if (n > SyncLimits.MaxManifestBytes)
                        {
                            throw new ProtocolViolationException("Manifest frame of " + n + " bytes is over the " + SyncLimits.MaxManifestBytes + "-byte limit");
                        }

                        return new ManifestFrame(id, r.Bytes((int)n, "manifest"));
                    }

                case SyncFrameType.Error:
                    {
                        int code = r.UInt16("code");
                        return new ErrorFrame((SyncErrorCode)code, r.Utf8(SyncLimits.MaxErrorMessageBytes, "message"));
                    }

                case SyncFrameType.Routed:
                    {
                        int n = r.Remaining;
                        if (n < Routing.RoutingLimits.HeaderBytes || n > Routing.RoutingLimits.MaxPacketBytes)
                        {
                            throw new ProtocolViolationException("Routed frame of " + n + " bytes is outside " + Routing.RoutingLimits.HeaderBytes + ".." + Routing.RoutingLimits.MaxPacketBytes);
                        }

                        // Refers to the input buffer, like a chunk: valid until the caller reuses it.
                        int at = r.Skip(n, "packet");
                        return new RoutedFrame(r.Buffer, at, n);
                    }

                case SyncFrameType.KeepAlive:
                    return new KeepAliveFrame();

                case SyncFrameType.Removed:
                    return ReadRemoved(r);

                case SyncFrameType.Pushed:
                    {
                        string id = r.ItemId("item id");
                        return new PushedFrame(id, r.Bytes(SyncLimits.HashBytes, "hash"));
                    }

                case SyncFrameType.InventoryHeld:
                    return new InventoryHeldFrame(r.NonNegativeInt64("held version"));

                case SyncFrameType.InventoryDelta:
                    return ReadInventoryDelta(r);

                default:
                    return new DoneFrame();
            }
        }

        private static HelloFrame ReadHello(PayloadReader r)
        {
            int version = r.Byte("protocol version");
            int kind = r.Byte("kind");
            int flags = r.Byte("flags");
            int battery = r.Byte("battery");
            if (battery > 100)
            {
                throw new ProtocolViolationException("Hello frame battery " + battery + "% is over 100");
            }

            long allocation = r.NonNegativeInt64("allocation");
            long used = r.NonNegativeInt64("used");
            string name = r.Utf8(SyncLimits.MaxNameBytes, "name");
            return new HelloFrame(version, kind, allocation, used, battery, flags, name);
        }

        private static InventoryFrame ReadInventory(PayloadReader r)
        {
            int flags = r.Byte("flags");
            if (flags > 1)
            {
                throw new ProtocolViolationException("Inventory frame has unknown flags " + flags);
            }

            int count = r.UInt16("count");
            if (count > SyncLimits.MaxInventoryEntriesPerFrame)
            {
                throw new ProtocolViolationException("Inventory frame has " + count + " entries, over the limit of " + SyncLimits.MaxInventoryEntriesPerFrame);
            }

            var entries = new InventoryEntry[count];
            for (int i = 0; i < count; i++)
            {
                int kind = r.Byte("entry kind");
                if (kind > (int)SyncItemKind.Manifest)
                {
                    throw new ProtocolViolationException("Inventory frame has unknown item kind " + kind);
                }

                string id = r.ItemId("item id");
                entries[i] = new InventoryEntry((SyncItemKind)kind, id, r.NonNegativeInt64("item length"));
            }

            return new InventoryFrame(entries, flags == 1);
        }

        private static InventoryDeltaFrame ReadInventoryDelta(PayloadReader r)
        {
            int flags = r.Byte("flags");
            if (flags > (InventoryDeltaFrame.FlagFinal | InventoryDeltaFrame.FlagWhole))
            {
                throw new ProtocolViolationException("InventoryDelta frame has unknown flags " + flags);
            }

            bool whole = (flags & InventoryDeltaFrame.FlagWhole) != 0;
            long since = r.NonNegativeInt64("since");
            long version = r.NonNegativeInt64("version");
            if (version < 1 || (whole && since != 0) || (!whole && since < 1))
            {
                throw new ProtocolViolationException("InventoryDelta frame: version " + version + " since " + since + (whole ? " (whole: since must be 0)" : " (a delta needs a base)"));
            }

            int present = r.UInt16("present count");
            if (present > SyncLimits.MaxInventoryEntriesPerFrame)
            {
                throw new ProtocolViolationException("InventoryDelta frame has " + present + " entries, over the limit of " + SyncLimits.MaxInventoryEntriesPerFrame);
            }

            var entries = new InventoryEntry[present];
            for (int i = 0; i < present; i++)
            {
                int kind = r.Byte("entry kind");
                if (kind > (int)SyncItemKind.Manifest)
                {
                    throw new ProtocolViolationException("InventoryDelta frame has unknown item kind " + kind);
                }

                string id = r.ItemId("item id");
                entries[i] = new InventoryEntry((SyncItemKind)kind, id, r.NonNegativeInt64("item length"));
            }

            int count = r.UInt16("gone count");
            if (present + count > SyncLimits.MaxInventoryEntriesPerFrame || (whole && count > 0))
            {
                throw new ProtocolViolationException("InventoryDelta frame has " + count + " gone ids" + (whole ? " in a whole inventory" : ", over the limit of " + SyncLimits.MaxInventoryEntriesPerFrame + " entries"));
            }

            var gone = new string[count];
            for (int i = 0; i < count; i++)
            {
                gone[i] = r.ItemId("gone id");
            }

            return new InventoryDeltaFrame(whole, (flags & InventoryDeltaFrame.FlagFinal) != 0, since, version, entries, gone);
        }

        private static WantFrame ReadWant(PayloadReader r)
        {
            int count = r.UInt16("count");
            if (count == 0 || count > SyncLimits.MaxWantEntriesPerFrame)
            {
                throw new ProtocolViolationException("Want frame must have 1.." + SyncLimits.MaxWantEntriesPerFrame + " entries, has " + count);
            }

            var entries = new WantEntry[count];
            for (int i = 0; i < count; i++)
            {
                string id = r.ItemId("item id");
                entries[i] = new WantEntry(id, r.NonNegativeInt64("offset"));
            }

            return new WantFrame(entries);
        }

        private static RemovedFrame ReadRemoved(PayloadReader r)
        {
            int count = r.UInt16("count");
            if (count == 0 || count > SyncLimits.MaxRemovalEntriesPerFrame)
            {
                throw new ProtocolViolationException("Removed frame must have 1.." + SyncLimits.MaxRemovalEntriesPerFrame + " entries, has " + count);
            }

            var entries = new RemovalEntry[count];
            for (int i = 0; i < count; i++)
            {
                string id = r.ItemId("file id");
                entries[i] = new RemovalEntry(id, r.NonNegativeInt64("removed at"));
            }

            return new RemovedFrame(entries);
        }

        private static ShardChunkFrame ReadChunk(PayloadReader r)
        {
            string id = r.ItemId("item id");
            long offset = r.NonNegativeInt64("offset");
            long total = r.NonNegativeInt64("total length");
            long n = r.UInt32("data length");
            if (n > SyncLimits.MaxChunkBytes)
            {
                throw new ProtocolViolationException("ShardChunk of " + n + " bytes is over the " + SyncLimits.MaxChunkBytes + "-byte limit");
            }

            if (offset > total || total - offset < n)
            {
                throw new ProtocolViolationException("ShardChunk [" + offset + ", +" + n + ") lies outside the item of " + total + " bytes");
            }

            // The chunk refers to the input buffer (no copy of up to 512 KiB per frame); it is valid
            // until the caller reuses that buffer.
            int at = r.Skip((int)n, "data");
            return new ShardChunkFrame(id, offset, total, r.Buffer, at, (int)n);
        }
    }
}
