using Tmds.DBus.Protocol;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>Why Bluetooth cannot be used right now; the hub carries on without it.</summary>
    public enum BluetoothUnavailableReason
    {
        /// <summary>The D-Bus address does not answer, or refuses us.</summary>
        BusUnreachable,

        /// <summary>Nobody owns org.bluez: bluetoothd is not running.</summary>
        NoBluetoothd,

        /// <summary>bluetoothd runs but has no such adapter (no radio, or its driver is missing).</summary>
        NoAdapter,
    }

    /// <summary>The one failure <see cref="BluezAdapter.OpenAsync"/> reports for "no Bluetooth here".</summary>
    public sealed class BluetoothUnavailableException : Exception
    {
        public BluetoothUnavailableException(BluetoothUnavailableReason reason, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Reason = reason;
        }

        public BluetoothUnavailableReason Reason { get; }
    }

    /// <summary>
    /// An open D-Bus connection to one bluetoothd adapter, the thing a hosted service opens, hands to
    /// <see cref="GattPeripheral"/> and <see cref="BleCentral"/>, and disposes. Calls and signal subscriptions are bound
    /// to the bluetoothd instance seen at open (Tmds.DBus.Protocol's owner identifiers), so a restarted bluetoothd
    /// never receives a call meant for the old one: <see cref="Lost"/> fires and the service opens a new adapter.
    /// </summary>
    public sealed class BluezAdapter : IAsyncDisposable
    {
        public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(10);

        private readonly NameOwnerWatcher _owner;
        private readonly string _ownerId;

        private BluezAdapter(DBusConnection connection, NameOwnerWatcher owner, string ownerId, string adapterPath, string address, TimeSpan callTimeout)
        {
            Connection = connection;
            _owner = owner;
            _ownerId = ownerId;
            AdapterPath = adapterPath;
            Address = address;
            CallTimeout = callTimeout;
            BluezUniqueName = NameOwnerWatcher.GetOwnerBusName(ownerId);
            Lost = owner.GetOwnerChangedCancellationToken(ownerId);
        }

        /// <summary>The system bus: DBUS_SYSTEM_BUS_ADDRESS, else the standard socket.</summary>
        public static string SystemBusAddress => DBusAddress.System ?? "unix:path=/run/dbus/system_bus_socket";

        /// <summary>The adapter's object path, e.g. /org/bluez/hci0.</summary>
        public string AdapterPath { get; }

        /// <summary>The adapter's Bluetooth address (Adapter1.Address).</summary>
        public string Address { get; }

        /// <summary>Our unique name on the bus.</summary>
        public string UniqueName => Connection.UniqueName ?? "";

        /// <summary>bluetoothd's unique name: the only sender allowed to drive our exported GATT objects.</summary>
        public string BluezUniqueName { get; }

        public TimeSpan CallTimeout { get; }

        /// <summary>
        /// Cancelled when bluetoothd leaves the bus (stop, crash, restart) or our connection drops. Everything
        /// registered through this adapter is gone then; dispose it and open a new one.
        /// </summary>
        public CancellationToken Lost { get; }

        internal DBusConnection Connection { get; }

        /// <summary>
        /// Connects to <paramref name="busAddress"/> and checks that bluetoothd runs and has the adapter. Every
        /// "no Bluetooth here" outcome is a <see cref="BluetoothUnavailableException"/>; nothing waits longer than
        /// <paramref name="callTimeout"/> per step.
        /// </summary>
        public static async Task<BluezAdapter> OpenAsync(string busAddress, string adapterPath = BluezNames.DefaultAdapterPath,
            TimeSpan? callTimeout = null, CancellationToken cancellationToken = default)
        {
            TimeSpan timeout = callTimeout ?? DefaultCallTimeout;
            DBusConnection connection;
            try
            {
                connection = new DBusConnection(busAddress);
            }
            catch (ArgumentException e)
            {
                throw new BluetoothUnavailableException(BluetoothUnavailableReason.BusUnreachable, "bad D-Bus address '" + busAddress + "': " + e.Message, e);
            }

            NameOwnerWatcher? owner = null;
            try
            {
                try
                {
                    await connection.ConnectAsync().AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                    owner = await connection.WatchNameOwnerAsync(BluezNames.Service).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is DBusConnectionException || e is TimeoutException)
                {
                    string why = e is TimeoutException ? "did not complete the handshake within " + timeout.TotalSeconds + " s" : e.Message;
                    throw new BluetoothUnavailableException(BluetoothUnavailableReason.BusUnreachable, "D-Bus at " + busAddress + ": " + why, e);
                }

                string? ownerId = owner.GetCurrentOwner();
                if (ownerId == null)
                {
                    throw new BluetoothUnavailableException(BluetoothUnavailableReason.NoBluetoothd, "bluetoothd is not running (nobody owns " + BluezNames.Service + " on " + busAddress + ")");
                }

                string address;
                try
                {
                    VariantValue value = await BusMessages.GetPropertyAsync(connection, ownerId, adapterPath, BluezNames.Adapter, "Address", timeout).WaitAsync(cancellationToken).ConfigureAwait(false);
                    address = value.GetString();
                }
                catch (Exception e) when (e is DBusErrorReplyException || e is DBusOwnerChangedException || e is InvalidOperationException)
                {
                    throw new BluetoothUnavailableException(BluetoothUnavailableReason.NoAdapter, "bluetoothd has no adapter " + adapterPath + ": " + e.Message, e);
                }

                return new BluezAdapter(connection, owner, ownerId, adapterPath, address, timeout);
            }
            catch
            {
                owner?.Dispose();
                connection.Dispose();
                throw;
            }
        }

        /// <summary>A call to bluetoothd (the instance seen at open).</summary>
        internal Task<T> CallAsync<T>(string path, string iface, string member, MessageValueReader<T> reader, string? signature = null, BodyWriter? body = null, TimeSpan? timeout = null) =>
            BusMessages.CallAsync(Connection, _ownerId, path, iface, member, timeout ?? CallTimeout, reader, signature, body);

        internal Task CallAsync(string path, string iface, string member, string? signature = null, BodyWriter? body = null, TimeSpan? timeout = null) =>
            BusMessages.CallAsync(Connection, _ownerId, path, iface, member, timeout ?? CallTimeout, signature, body);

        internal Task<VariantValue> GetPropertyAsync(string path, string iface, string name, TimeSpan? timeout = null) =>
            BusMessages.GetPropertyAsync(Connection, _ownerId, path, iface, name, timeout ?? CallTimeout);

        internal Task<Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>>> GetManagedObjectsAsync(TimeSpan? timeout = null) =>
            BusMessages.GetManagedObjectsAsync(Connection, _ownerId, "/", timeout ?? CallTimeout);

        /// <summary>Signals from bluetoothd matching the rule's path, interface and member (the sender is filled in).</summary>
        internal Task<IDisposable> WatchAsync<T>(MatchRule rule, string signature, MessageValueReader<T> reader, Action<T> handler)
            where T : class
        {
            rule.Sender = _ownerId;
            rule.Type = MessageType.Signal;
            return BusMessages.WatchAsync(Connection, rule, signature, reader, handler);
        }

        /// <summary>Only bluetoothd itself may drive what we export.</summary>
        internal bool IsBluez(string? sender) => sender == BluezUniqueName;

        public ValueTask DisposeAsync()
        {
            _owner.Dispose();
            Connection.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
