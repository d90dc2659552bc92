namespace AetherEdge.Core.Abstractions
{
    /// <summary>
    /// One device on an I2C bus (fixed 7-bit address). Implementations: nanoFramework's System.Device.I2c on
    /// the ESP32, a simulated chip in tests. A transfer that is not complete (no ACK, clock stretch timeout,
    /// partial) returns false rather than throwing, as nanoFramework reports it.
    /// </summary>
    public interface II2cDevice
    {
        /// <summary>Writes <paramref name="write"/>, then with a repeated start reads <paramref name="read"/> in full.</summary>
        bool TryWriteRead(byte[] write, byte[] read);

        /// <summary>Writes <paramref name="write"/> in full.</summary>
        bool TryWrite(byte[] write);
    }
}
