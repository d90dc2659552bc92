using AetherEdge.Core.Devices;
using AetherEdge.Core.Scheduling;

namespace AetherEdge.Core.WifiDirect
{
    /// <summary>
    /// The group-owner intent a device offers in GO negotiation, from the seed's Wi-Fi Direct rules as
    /// <see cref="SyncPolicy.TransportDecision"/> holds them: hubs and desktops prefer to own the group (14: high,
    /// but not 15, since two 15s fail negotiation with status 9); laptops join only when plugged in or above
    /// 50 % (7 plugged in, 3 on battery: a plugged-in device should carry the group); phones only when plugged
    /// in, and then as clients (1). A device the rules keep off Wi-Fi Direct gets no intent and the reason.
    /// </summary>
    public static class GroupOwnerIntent
    {
        /// <summary>Intent for hubs and desktops.</summary>
        public const int Owner = 14;

        /// <summary>Intent for a plugged-in laptop.</summary>
        public const int LaptopPlugged = 7;

        /// <summary>Intent for a laptop above 50 % on battery.</summary>
        public const int LaptopBattery = 3;

        /// <summary>Intent for a plugged-in phone.</summary>
        public const int Phone = 1;

        /// <summary>
        /// The intent 0..14 for <paramref name="device"/> now, or -1 when it must not form a group; then
        /// <paramref name="decision"/> says why (SkippedBattery, or SkippedNetwork for beacons).
        /// </summary>
        public static int For(DeviceProfile device, out SyncDecision decision)
        {
            decision = SyncPolicy.TransportDecision(device, SyncTransport.WifiDirect);
            if (decision != SyncDecision.Allowed)
            {
                return -1;
            }

            switch (device.Kind)
            {
                case DeviceKind.Hub:
                case DeviceKind.Desktop:
                    return Owner;
                case DeviceKind.Laptop:
                    return device.Battery.PluggedIn ? LaptopPlugged : LaptopBattery;
                default:
                    return Phone;
            }
        }
    }
}
