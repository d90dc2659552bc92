namespace AetherEdge.Firmware.Drivers
{
    using System;
    using System.Device.I2c;
    using AetherEdge.Core.Abstractions;

    /// <summary>
    /// <see cref="II2cDevice"/> on nanoFramework's System.Device.I2c: a transfer counts only when its
    /// <see cref="I2cTransferResult"/> is FullTransfer (nanoFramework reports bus trouble there, not by
    /// throwing); <see cref="LastTransferStatus"/> keeps the reason (SlaveAddressNotAcknowledged: no gauge, or
    /// no cell to power it). Owns the <see cref="I2cDevice"/> and disposes it.
    /// </summary>
    public sealed class NanoI2cDevice : II2cDevice, IDisposable
    {
        private I2cDevice? _device;

        /// <summary>Wraps <paramref name="device"/>; takes ownership of it.</summary>
        public NanoI2cDevice(I2cDevice device)
        {
            if (device == null)
            {
                throw new ArgumentNullException("device");
            }

            _device = device;
            LastTransferStatus = I2cTransferStatus.FullTransfer;
        }

        /// <summary>
        /// Opens 7-bit <paramref name="address"/> on bus <paramref name="busId"/> (1 = I2C1). On ESP32 the SDA/SCL
        /// pins are chosen before this with nanoFramework.Hardware.Esp32 Configuration.SetPinFunction.
        /// </summary>
        public static NanoI2cDevice Open(int busId, int address)
        {
            return new NanoI2cDevice(I2cDevice.Create(new I2cConnectionSettings(busId, address)));
        }

        /// <summary>Status of the last transfer.</summary>
        public I2cTransferStatus LastTransferStatus { get; private set; }

        /// <inheritdoc/>
        public bool TryWriteRead(byte[] write, byte[] read)
        {
            I2cTransferResult result = Device().WriteRead(write, read);
            LastTransferStatus = result.Status;
            return result.Status == I2cTransferStatus.FullTransfer;
        }

        /// <inheritdoc/>
        public bool TryWrite(byte[] write)
        {
            I2cTransferResult result = Device().Write(write);
            LastTransferStatus = result.Status;
            return result.Status == I2cTransferStatus.FullTransfer;
        }

        /// <summary>Disposes the I2C device. Safe to call twice.</summary>
        public void Dispose()
        {
            if (_device != null)
            {
                _device.Dispose();
                _device = null;
            }
        }

        private I2cDevice Device()
        {
            if (_device == null)
            {
                throw new ObjectDisposedException("the I2C device was disposed");
            }

            return _device;
        }
    }
}
