using AetherEdge.Core.Protocol;

namespace AetherEdge.Fuzz
{
    /// <summary>
    /// One parser under fuzz. A subclass in Targets/ is found by reflection, so adding a target is one file:
    /// give it valid seeds made by our own writers, run the parser in <see cref="Execute"/>, and check the
    /// round-trip properties there (throw <see cref="FuzzPropertyException"/> when one fails).
    /// </summary>
    public abstract class FuzzTarget
    {
        /// <summary>Short name used on the command line and in reports (kebab-case).</summary>
        public abstract string Name { get; }

        /// <summary>Where the bytes come from, for the report.</summary>
        public abstract string Source { get; }

        /// <summary>Valid inputs, built with the production writers; mutation starts from these.</summary>
        public abstract byte[][] Seeds();

        /// <summary>
        /// Offsets of length, count and size fields in <paramref name="input"/> (structure hints for the mutator);
        /// none by default, when the mutator picks offsets at random.
        /// </summary>
        public virtual int[] LengthFieldOffsets(byte[] input) => Array.Empty<int>();

        /// <summary>
        /// Parses <paramref name="input"/> and checks its properties. Returns true when the input was accepted
        /// (accepted inputs join the mutation pool), false when the parser rejected it the documented way.
        /// Any exception that escapes and is not <see cref="IsDocumentedRejection"/> is a crash.
        /// </summary>
        public abstract bool Execute(byte[] input);

        /// <summary>The parser's documented rejection; everything else escaping <see cref="Execute"/> is a crash.</summary>
        public virtual bool IsDocumentedRejection(Exception e) => e is ProtocolViolationException;
    }

    /// <summary>A round-trip or consistency property failed: reported as a crash.</summary>
    public sealed class FuzzPropertyException : Exception
    {
        public FuzzPropertyException(string message)
            : base(message)
        {
        }

        public static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new FuzzPropertyException(what);
            }
        }

        public static void Equal(byte[] expected, byte[] actual, string what)
        {
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                throw new FuzzPropertyException(what + ": expected " + Convert.ToHexString(expected) + ", got " + Convert.ToHexString(actual));
            }
        }
    }
}
