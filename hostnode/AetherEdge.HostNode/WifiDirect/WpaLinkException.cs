namespace AetherEdge.HostNode.WifiDirect
{
    /// <summary>Why a control-interface request got no usable reply.</summary>
    public enum WpaLinkFailure
    {
        /// <summary>No socket at the path, or nobody listening on it (wpa_supplicant not running or restarting).</summary>
        Unreachable,

        /// <summary>No reply within the reply timeout.</summary>
        Timeout,

        /// <summary>The request is over the request size limit; it was not sent.</summary>
        RequestTooLarge,

        /// <summary>The reply filled the reply buffer: it may be cut, so it is not used.</summary>
        ReplyTooLarge,
    }

    /// <summary>A control-interface request failed; <see cref="Failure"/> says how.</summary>
    public sealed class WpaLinkException : Exception
    {
        public WpaLinkException(WpaLinkFailure failure, string message)
            : base(message)
        {
            Failure = failure;
        }

        public WpaLinkFailure Failure { get; }
    }
}
