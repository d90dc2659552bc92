using System;

namespace AetherEdge.Core.Erasure
{
    /// <summary>
    /// A stripe cannot be rebuilt (fewer than k pieces present) or the code was misused.
    /// The message names how many pieces are present and how many are needed.
    /// </summary>
    public class ErasureException : Exception
    {
        /// <summary>Creates the exception with a message naming the problem.</summary>
        public ErasureException(string message)
            : base(message)
        {
        }
    }
}
