using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AetherEdge.HostNode.Bluetooth
{
    /// <summary>
    /// socketpair(AF_UNIX, SOCK_SEQPACKET): what BlueZ expects behind AcquireWrite/AcquireNotify, one packet per
    /// value. .NET sockets cannot create a connected pair and Tmds.DBus.Protocol only carries the descriptor.
    /// </summary>
    internal static class SeqPacketPair
    {
        private const int AfUnix = 1;
        private const int SockSeqPacket = 5;
        private const int SockCloexec = 0x80000;

        /// <summary>Our end as a Socket and the peer's end as a handle to pass over D-Bus.</summary>
        public static (Socket Local, SafeSocketHandle Remote) Create()
        {
            var fds = new int[2];
            if (socketpair(AfUnix, SockSeqPacket | SockCloexec, 0, fds) != 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }

            return (new Socket(new SafeSocketHandle(fds[0], true)), new SafeSocketHandle(fds[1], true));
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int socketpair(int domain, int type, int protocol, int[] sv);
    }
}
