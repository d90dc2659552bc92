using Microsoft.CodeAnalysis;

namespace AetherEdge.NanoCheck.Tests
{
    /// <summary>Assertions over compiler diagnostics that name the expected error and show what the compiler said.</summary>
    internal static class NanoAssert
    {
        /// <summary>
        /// Asserts that <paramref name="errors"/> contains <paramref name="id"/> with a message containing
        /// <paramref name="messageFragment"/> (the missing type or member), so a test fails if the snippet breaks
        /// for some unrelated reason.
        /// </summary>
        public static void HasError(Diagnostic[] errors, string id, string messageFragment, string source)
        {
            Assert.True(errors.Length > 0, "expected the nanoFramework surface to reject:\n" + source);
            Assert.True(
                errors.Any(e => e.Id == id && e.GetMessage().Contains(messageFragment, StringComparison.Ordinal)),
                $"expected {id} mentioning '{messageFragment}', got:\n" + Describe(errors));
        }

        public static void NoErrors(Diagnostic[] errors) =>
            Assert.True(errors.Length == 0, "expected no errors, got:\n" + Describe(errors));

        public static string Describe(IEnumerable<Diagnostic> errors) =>
            string.Join("\n", errors.Take(40).Select(e => e.ToString()));
    }
}
