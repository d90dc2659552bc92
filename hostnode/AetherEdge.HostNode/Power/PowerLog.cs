namespace AetherEdge.HostNode.Power
{
    /// <summary>
    /// One-line problem reports to a <see cref="TextWriter"/>, each distinct line once, so a source
    /// polled every minute does not flood the journal with the same odd file.
    /// </summary>
    internal sealed class PowerLog
    {
        private readonly TextWriter _writer;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly object _lock = new();

        public PowerLog(TextWriter? writer)
        {
            _writer = writer ?? TextWriter.Null;
        }

        public void Warn(string message)
        {
            lock (_lock)
            {
                if (_seen.Add(message))
                {
                    _writer.WriteLine("power: " + message);
                }
            }
        }
    }
}
