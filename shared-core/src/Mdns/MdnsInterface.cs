using AetherEdge.Core.Dns;
using AetherEdge.Core.Protocol;

namespace AetherEdge.Core.Mdns
{
    /// <summary>
    /// The mDNS state of one network interface: an optional responder and browser sharing the
    /// parsed packet. Malformed packets are counted and dropped, never thrown upward.
    /// </summary>
    public sealed class MdnsInterface
    {
        /// <summary>Creates the per-interface state; either part may be null.</summary>
        public MdnsInterface(MdnsResponder? responder, MdnsBrowser? browser)
        {
            Responder = responder;
            Browser = browser;
        }

        /// <summary>The responder, if this node advertises.</summary>
        public MdnsResponder? Responder { get; }

        /// <summary>The browser, if this node browses.</summary>
        public MdnsBrowser? Browser { get; }

        /// <summary>Packets dropped because they did not parse.</summary>
        public long MalformedPackets { get; private set; }

        /// <summary>The last parse error, for logs.</summary>
        public string? LastError { get; private set; }

        /// <summary>Earliest time <see cref="Step"/> has work.</summary>
        public long NextWakeMs
        {
            get
            {
                long a = Responder == null ? long.MaxValue : Responder.NextWakeMs;
                long b = Browser == null ? long.MaxValue : Browser.NextWakeMs;
                return a < b ? a : b;
            }
        }

        /// <summary>Parses one datagram and hands it to the responder and browser.</summary>
        public void Receive(byte[] buffer, int offset, int length, MdnsSource source, long nowMs)
        {
            DnsMessage message;
            try
            {
                message = DnsMessage.Parse(buffer, offset, length);
            }
            catch (ProtocolViolationException e)
            {
                MalformedPackets++;
                LastError = e.Message;
                return;
            }

            if (Responder != null)
            {
                Responder.Receive(message, source, nowMs);
            }

            if (Browser != null)
            {
                Browser.Receive(message, source, nowMs);
            }
        }

        /// <summary>The link went down and up, or its addresses changed (§8, §10.3).</summary>
        public void LinkChanged(long nowMs)
        {
            if (Responder != null)
            {
                Responder.LinkChanged(nowMs);
            }

            if (Browser != null)
            {
                Browser.LinkChanged(nowMs);
            }
        }

        /// <summary>Runs both state machines' timers.</summary>
        public void Step(long nowMs)
        {
            if (Responder != null)
            {
                Responder.Step(nowMs);
            }

            if (Browser != null)
            {
                Browser.Step(nowMs);
            }
        }
    }
}
