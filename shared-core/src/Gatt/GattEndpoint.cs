namespace AetherEdge.Core.Gatt
{
    using AetherEdge.Core.Protocol;

    /// <summary>
    /// Both directions of the transfer protocol on one link: data frames go to the receiver,
    /// acks and the sender's fails to the sender. Malformed frames are counted and dropped so a
    /// misbehaving peer cannot stop the node.
    /// </summary>
    public sealed class GattEndpoint
    {
        private readonly GattFrame _frame = new GattFrame();

        /// <summary>Creates an endpoint with <paramref name="slots"/> send and receive slots each.</summary>
        public GattEndpoint(IGattLink link, IGattSendListener sendListener, IGattReceiveListener receiveListener, int slots, int maxTransferBytes)
        {
            Link = link;
            Sender = new GattTransferSender(link, sendListener, slots, maxTransferBytes);
            Receiver = new GattTransferReceiver(link, receiveListener, slots, maxTransferBytes);
        }

        /// <summary>The link this endpoint writes to.</summary>
        public IGattLink Link { get; }

        /// <summary>Outgoing transfers.</summary>
        public GattTransferSender Sender { get; }

        /// <summary>Incoming transfers.</summary>
        public GattTransferReceiver Receiver { get; }

        /// <summary>Frames that failed to parse.</summary>
        public long MalformedFrames { get; private set; }

        /// <summary>The last parse error, for diagnostics.</summary>
        public string LastError { get; private set; } = string.Empty;

        /// <summary>
        /// Handles one value written by, or notified from, the peer. Fail frames from the peer's receiver
        /// go to the sender; fail frames from the peer's sender to the receiver.
        /// </summary>
        public void OnValue(byte[] buffer, int offset, int length, long nowMs)
        {
            try
            {
                GattFrameCodec.Parse(buffer, offset, length, _frame);
            }
            catch (ProtocolViolationException e)
            {
                MalformedFrames++;
                LastError = e.Message;
                return;
            }

            if (_frame.Type == GattFrameType.Data)
            {
                Receiver.OnFrame(_frame, buffer, nowMs);
            }
            else if (_frame.Type == GattFrameType.Ack)
            {
                Sender.OnFrame(_frame, buffer, nowMs);
            }
            else if (_frame.FromReceiver)
            {
                Sender.OnFrame(_frame, buffer, nowMs);
            }
            else
            {
                Receiver.OnFrame(_frame, buffer, nowMs);
            }
        }

        /// <summary>Drives both directions.</summary>
        public void Step(long nowMs)
        {
            Sender.Step(nowMs);
            Receiver.Step(nowMs);
        }
    }
}
