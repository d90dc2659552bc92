using AetherEdge.Core.Scheduling;

namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>What the P2P manager counts (published by <see cref="WifiDirectMetrics"/>). Written by the manager's one thread.</summary>
    public sealed class P2pCounters
    {
        private long _malformed, _devicesFound, _trusted, _untrusted, _dropped, _formations, _formationFailures, _declinedBattery, _declinedNetwork;
        private long _groups, _idleRemoved, _leftUnverified, _strangers, _refusedJoins;

        public long MalformedEvents => Interlocked.Read(ref _malformed);

        public long DevicesFound => Interlocked.Read(ref _devicesFound);

        /// <summary>Radio peers whose service discovery named a device in the trust circle ("peers discovered", wifi-direct).</summary>
        public long TrustedPeersDiscovered => Interlocked.Read(ref _trusted);

        /// <summary>Service-discovery answers naming an AetherEdge device outside the circle (ignored).</summary>
        public long UntrustedPeers => Interlocked.Read(ref _untrusted);

        /// <summary>Peers forgotten because the table was full.</summary>
        public long PeersDropped => Interlocked.Read(ref _dropped);

        public long FormationsStarted => Interlocked.Read(ref _formations);

        public long FormationFailures => Interlocked.Read(ref _formationFailures);

        public long DeclinedBattery => Interlocked.Read(ref _declinedBattery);

        public long DeclinedNetwork => Interlocked.Read(ref _declinedNetwork);

        public long GroupsStarted => Interlocked.Read(ref _groups);

        public long GroupsRemovedIdle => Interlocked.Read(ref _idleRemoved);

        /// <summary>Groups left because no trusted device proved itself there (threat 4: rogue group owner).</summary>
        public long GroupsLeftUnverified => Interlocked.Read(ref _leftUnverified);

        /// <summary>Stations that joined our group without being a trusted peer we know (they get no shard: TLS refuses them).</summary>
        public long StrangersJoined => Interlocked.Read(ref _strangers);

        /// <summary>Join or negotiation requests we did not answer (unknown or avoided peer, full group, power rules).</summary>
        public long RequestsRefused => Interlocked.Read(ref _refusedJoins);

        internal void Malformed() => Interlocked.Increment(ref _malformed);

        internal void DeviceFound() => Interlocked.Increment(ref _devicesFound);

        internal void Trusted() => Interlocked.Increment(ref _trusted);

        internal void Untrusted() => Interlocked.Increment(ref _untrusted);

        internal void Dropped() => Interlocked.Increment(ref _dropped);

        internal void Formation() => Interlocked.Increment(ref _formations);

        internal void FormationFailed() => Interlocked.Increment(ref _formationFailures);

        internal void Declined(SyncDecision why) => Interlocked.Increment(ref why == SyncDecision.SkippedNetwork ? ref _declinedNetwork : ref _declinedBattery);

        internal void GroupStarted() => Interlocked.Increment(ref _groups);

        internal void IdleRemoved() => Interlocked.Increment(ref _idleRemoved);

        internal void LeftUnverified() => Interlocked.Increment(ref _leftUnverified);

        internal void Stranger() => Interlocked.Increment(ref _strangers);

        internal void Refused() => Interlocked.Increment(ref _refusedJoins);
    }
}
