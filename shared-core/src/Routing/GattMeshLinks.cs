namespace AetherEdge.Core.Routing
{
    using AetherEdge.Core.Gatt;
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Adapter between the router and BLE connections: one <see cref="GattEndpoint"/> per connected
    /// neighbour; a routed packet is one GATT transfer. Flooding sends to every connection except the
    /// one the packet came from, all or nothing (false when any of them has no free send slot, so the
    /// router retries the whole packet). Whole received transfers go to the observer, then the router.
    /// </summary>
    public sealed class GattMeshLinks : IMeshRadio
    {
        private readonly Port?[] _ports;
        private readonly int _slotsPerLink;
        private readonly int _maxTransferBytes;
        private Router? _router;

        /// <summary>Creates room for <paramref name="maxNeighbours"/> connections.</summary>
        public GattMeshLinks(int maxNeighbours, int slotsPerLink, int maxTransferBytes)
        {
            _ports = new Port?[maxNeighbours];
            _slotsPerLink = slotsPerLink;
            _maxTransferBytes = maxTransferBytes;
        }

        /// <summary>Sees every received packet before the router.</summary>
        public IPacketObserver? Observer { get; set; }

        /// <summary>Packets addressed to a neighbour that is no longer connected.</summary>
        public long DroppedNoLink { get; private set; }

        /// <summary>Transfers that failed on a link (after the GATT layer's retries).</summary>
        public long FailedTransfers { get; private set; }

        /// <summary>Connects the router that receives packets (constructed after this adapter).</summary>
        public void Attach(Router router)
        {
            _router = router;
        }

        /// <summary>
        /// Registers a connection (allocates its endpoint: once per connection, never per packet).
        /// <paramref name="linkQuality"/> is 0..255 from RSSI. False when every neighbour slot is taken.
        /// </summary>
        public bool AddNeighbour(uint neighbour, IGattLink link, int linkQuality)
        {
            return Add(neighbour, link, linkQuality, false);
        }

        /// <summary>
        /// Registers a connection whose peer's node id is not known yet (a central that connected to us):
        /// <paramref name="temporaryId"/> stands in until the first packet the peer originated itself
        /// (hop limit = hop start, e.g. its hello) names it.
        /// </summary>
        public bool AddUnidentifiedNeighbour(uint temporaryId, IGattLink link, int linkQuality)
        {
            return Add(temporaryId, link, linkQuality, true);
        }

        /// <summary>The node id now used for a connection registered under <paramref name="temporaryId"/>, or NoNode.</summary>
        public uint IdentityOf(uint temporaryId)
        {
            for (int i = 0; i < _ports.Length; i++)
            {
                Port? p = _ports[i];
                if (p != null && p.TemporaryId == temporaryId)
                {
                    return p.Neighbour;
                }
            }

            return RoutingLimits.NoNode;
        }

        private bool Add(uint neighbour, IGattLink link, int linkQuality, bool provisional)
        {
            RemoveNeighbour(neighbour);
            for (int i = 0; i < _ports.Length; i++)
            {
                if (_ports[i] == null)
                {
                    Port port = new Port(this, neighbour, link, linkQuality);
                    port.Provisional = provisional;
                    _ports[i] = port;
                    return true;
                }
            }

            return false;
        }

        /// <summary>Forgets a connection (disconnect) by node id or temporary id; its transfers are dropped.</summary>
        public void RemoveNeighbour(uint neighbour)
        {
            for (int i = 0; i < _ports.Length; i++)
            {
                Port? p = _ports[i];
                if (p != null && (p.Neighbour == neighbour || (p.Provisional && p.TemporaryId == neighbour)))
                {
                    _ports[i] = null;
                }
            }
        }

        /// <summary>The endpoint of a connection, or null.</summary>
        public GattEndpoint? EndpointOf(uint neighbour)
        {
            Port? p = Find(neighbour);
            return p == null ? null : p.Endpoint;
        }

        /// <summary>
        /// A value arrived from <paramref name="neighbour"/> (GATT write or notification); a connection
        /// registered unidentified keeps answering to its temporary id too.
        /// </summary>
        public void OnValue(uint neighbour, byte[] buffer, int offset, int length, long nowMs)
        {
            Port? p = Find(neighbour);
            if (p == null)
            {
                p = FindTemporary(neighbour);
            }

            if (p != null)
            {
                p.Now = nowMs;
                p.Endpoint.OnValue(buffer, offset, length, nowMs);
            }
        }

        /// <summary>Drives every connection's transfers.</summary>
        public void Step(long nowMs)
        {
            for (int i = 0; i < _ports.Length; i++)
            {
                Port? p = _ports[i];
                if (p != null)
                {
                    p.Now = nowMs;
                    p.Endpoint.Step(nowMs);
                }
            }
        }

        /// <inheritdoc/>
        public bool TrySend(uint neighbour, uint exceptNeighbour, byte[] buffer, int offset, int length)
        {
            if (neighbour != RoutingLimits.Broadcast)
            {
                Port? p = Find(neighbour);
                if (p == null)
                {
                    DroppedNoLink++;
                    return true;
                }

                return p.Endpoint.Sender.TryStart(buffer, offset, length, p.Now) >= 0;
            }

            for (int i = 0; i < _ports.Length; i++)
            {
                Port? p = _ports[i];
                if (p != null && p.Neighbour != exceptNeighbour && p.Endpoint.Sender.ActiveTransfers >= _slotsPerLink)
                {
                    return false;
                }
            }

            for (int i = 0; i < _ports.Length; i++)
            {
                Port? p = _ports[i];
                if (p != null && p.Neighbour != exceptNeighbour)
                {
                    p.Endpoint.Sender.TryStart(buffer, offset, length, p.Now);
                }
            }

            return true;
        }

        private Port? Find(uint neighbour)
        {
            for (int i = 0; i < _ports.Length; i++)
            {
                Port? p = _ports[i];
                if (p != null && p.Neighbour == neighbour)
                {
                    return p;
                }
            }

            return null;
        }

        private Port? FindTemporary(uint temporaryId)
        {
            for (int i = 0; i < _ports.Length; i++)
            {
                Port? p = _ports[i];
                if (p != null && p.TemporaryId == temporaryId)
                {
                    return p;
                }
            }

            return null;
        }

        private void Received(Port port, byte[] buffer, int offset, int length)
        {
            if (port.Provisional && length >= RoutingLimits.HeaderBytes)
            {
                int hops = buffer[offset + 1];
                uint source = NetworkOrder.ReadUInt32(buffer, offset + 2);
                if ((hops & 0x07) == ((hops >> 3) & 0x07) && source != RoutingLimits.NoNode && source != RoutingLimits.Broadcast)
                {
                    RemoveNeighbour(source); // a stale connection of the same peer
                    port.Neighbour = source;
                    port.Provisional = false;
                }
            }

            if (Observer != null)
            {
                Observer.OnPacket(port.Neighbour, buffer, offset, length, port.Now);
            }

            if (_router != null)
            {
                _router.OnReceive(port.Neighbour, port.Quality, buffer, offset, length, port.Now);
            }
        }

        private sealed class Port : IGattSendListener, IGattReceiveListener
        {
            private readonly GattMeshLinks _owner;

            public Port(GattMeshLinks owner, uint neighbour, IGattLink link, int quality)
            {
                _owner = owner;
                Neighbour = neighbour;
                TemporaryId = neighbour;
                Quality = quality;
                Endpoint = new GattEndpoint(link, this, this, owner._slotsPerLink, owner._maxTransferBytes);
            }

            public uint Neighbour { get; set; }

            public uint TemporaryId { get; }

            public bool Provisional { get; set; }

            public int Quality { get; }

            public GattEndpoint Endpoint { get; }

            public long Now { get; set; }

            public void OnSendProgress(int transferId, int ackedBytes, int totalBytes)
            {
            }

            public void OnSendCompleted(int transferId)
            {
            }

            public void OnSendFailed(int transferId, GattFailReason reason)
            {
                _owner.FailedTransfers++;
            }

            public void OnReceiveProgress(int transferId, int receivedBytes, int totalBytes)
            {
            }

            public void OnReceived(int transferId, byte[] buffer, int offset, int length)
            {
                _owner.Received(this, buffer, offset, length);
            }

            public void OnReceiveFailed(int transferId, GattFailReason reason)
            {
                _owner.FailedTransfers++;
            }
        }
    }
}
