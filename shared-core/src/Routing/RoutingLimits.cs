namespace AetherEdge.Core.Routing
{
    /// <summary>Every size, hop count and timeout of the mesh routing layer.</summary>
    public static class RoutingLimits
    {
        /// <summary>Wire format version in the high nibble of byte 0.</summary>
        public const int Version = 1;

        /// <summary>Fixed packet header length.</summary>
        public const int HeaderBytes = 20;

        /// <summary>Destination meaning "every node".</summary>
        public const uint Broadcast = 0xFFFFFFFF;

        /// <summary>"No node": an unset next hop (flood) — never a valid source or destination.</summary>
        public const uint NoNode = 0;

        /// <summary>Meshtastic's default: three relays after the originator.</summary>
        public const int DefaultHopLimit = 3;

        /// <summary>Largest hop limit (3-bit field; Meshtastic's cap — raising 3→7 congested UK meshes).</summary>
        public const int MaxHopLimit = 7;

        /// <summary>Largest packet (header + payload): one GATT transfer.</summary>
        public const int MaxPacketBytes = Gatt.GattLimits.MaxTransferBytes;

        /// <summary>Largest payload.</summary>
        public const int MaxPayloadBytes = MaxPacketBytes - HeaderBytes;

        /// <summary>Sources tracked by the dedup/replay cache (least recently heard is evicted).</summary>
        public const int DedupSources = 64;

        /// <summary>Packet ids per source remembered behind the newest (sliding window bits).</summary>
        public const int ReplayWindow = 64;

        /// <summary>A source silent this long is forgotten (recovers a rebooted node that lost its id counter).</summary>
        public const long DedupLifetimeMilliseconds = 10 * 60 * 1000L;

        /// <summary>Default transmit queue slots.</summary>
        public const int DefaultQueueSlots = 16;

        /// <summary>Shortest wait before a flood rebroadcast.</summary>
        public const long RebroadcastMinDelayMilliseconds = 2;

        /// <summary>Extra wait for the strongest link (near nodes wait, far nodes relay first).</summary>
        public const long RebroadcastQualitySpanMilliseconds = 40;

        /// <summary>Random jitter added to every rebroadcast delay.</summary>
        public const int RebroadcastJitterMilliseconds = 10;

        /// <summary>
        /// Counter-based suppression: a waiting rebroadcast is cancelled once this many copies were heard
        /// (Ni et al.'s broadcast-storm counter scheme; 2 = Meshtastic's cancel-on-first-overheard-relay).
        /// </summary>
        public const int DefaultSuppressionThreshold = 3;

        /// <summary>Highest link quality value (RSSI/SNR mapped to 0..255, higher = stronger).</summary>
        public const int MaxLinkQuality = 255;

        /// <summary>Learned next hops kept.</summary>
        public const int NextHopEntries = 64;

        /// <summary>A learned next hop expires after this long without traffic from that source.</summary>
        public const long NextHopLifetimeMilliseconds = 5 * 60 * 1000L;

        /// <summary>Reliable sends outstanding at once.</summary>
        public const int MaxPendingReliable = 8;

        /// <summary>Meshtastic: at most 3 retransmissions of a reliable packet.</summary>
        public const int MaxRetransmissions = 3;

        /// <summary>Wait for the first hop's rebroadcast (implicit ack) before retransmitting.</summary>
        public const long FirstHopTimeoutMilliseconds = 500;

        /// <summary>Wait for the end-to-end ack once the first hop relayed.</summary>
        public const long AckTimeoutMilliseconds = 3000;

        /// <summary>Payload of an ack packet: the acknowledged packet id.</summary>
        public const int AckPayloadBytes = 4;
    }
}
