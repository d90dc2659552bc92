using System;

namespace AetherEdge.Core.Protocol
{
    /// <summary>
    /// The one exception every codec throws for malformed input (truncated, out of range,
    /// over a limit). The message names what was wrong and where.
    /// </summary>
    public class ProtocolViolationException : Exception
    {
        /// <summary>Creates the exception with a message naming the problem.</summary>
        public ProtocolViolationException(string message)
            : base(message)
        {
        }
    }
}
