using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AetherEdge.HostNode.DBus
{
    /// <summary>
    /// P/Invoke for sendmsg/recvmsg with SCM_RIGHTS and socketpair, which .NET sockets do not expose.
    /// Struct layouts use native-sized fields so they match both 32- and 64-bit Linux.
    /// </summary>
    internal static class UnixFdNative
    {
        private const int SolSocket = 1;
        private const int ScmRights = 1;
        private const int MsgCmsgCloexec = 0x40000000;
        private const int MsgNoSignal = 0x4000;
        private const int AfUnix = 1;
        private const int SockSeqPacket = 5;
        private const int SockCloexec = 0x80000;
        private const int EIntr = 4;

        [StructLayout(LayoutKind.Sequential)]
        private struct IoVec
        {
            public IntPtr Base;
            public nuint Length;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct MsgHdr
        {
            public IntPtr Name;
            public int NameLength;
            public IntPtr Iov;
            public nuint IovLength;
            public IntPtr Control;
            public nuint ControlLength;
            public int Flags;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern nint sendmsg(int fd, ref MsgHdr msg, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern nint recvmsg(int fd, ref MsgHdr msg, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int socketpair(int domain, int type, int protocol, int[] sv);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);

        [DllImport("libc")]
        private static extern uint getuid();

        [DllImport("libc", SetLastError = true)]
        private static extern int fcntl(int fd, int cmd, int arg);

        /// <summary>.NET may leave a socket non-blocking at the OS level; our reader thread needs blocking recvmsg.</summary>
        public static void MakeBlocking(int fd)
        {
            const int getFlags = 3;
            const int setFlags = 4;
            const int nonBlock = 0x800;
            int flags = fcntl(fd, getFlags, 0);
            if (flags < 0 || fcntl(fd, setFlags, flags & ~nonBlock) < 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }
        }

        public static uint UserId => getuid();

        private static int HeaderSize => IntPtr.Size + 8; // cmsg_len (size_t) + level + type

        private static int Align(int n) => (n + IntPtr.Size - 1) & ~(IntPtr.Size - 1);

        public static void Close(int fd) => close(fd);

        /// <summary>Creates a SOCK_SEQPACKET pair (as BlueZ uses for AcquireWrite/AcquireNotify).</summary>
        public static (int, int) SeqPacketPair()
        {
            var sv = new int[2];
            if (socketpair(AfUnix, SockSeqPacket | SockCloexec, 0, sv) != 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }

            return (sv[0], sv[1]);
        }

        /// <summary>Sends bytes, attaching fds (if any) to the first chunk. Returns the number of bytes sent.</summary>
        public static int Send(int socketFd, byte[] data, int offset, int count, IReadOnlyList<int> fds)
        {
            GCHandle pin = GCHandle.Alloc(data, GCHandleType.Pinned);
            int controlLength = fds.Count == 0 ? 0 : HeaderSize + Align(4 * fds.Count);
            IntPtr control = controlLength == 0 ? IntPtr.Zero : Marshal.AllocHGlobal(controlLength);
            IntPtr iovPtr = Marshal.AllocHGlobal(Marshal.SizeOf<IoVec>());
            try
            {
                if (controlLength != 0)
                {
                    for (int i = 0; i < controlLength; i++)
                    {
                        Marshal.WriteByte(control, i, 0);
                    }

                    Marshal.WriteIntPtr(control, 0, (IntPtr)(HeaderSize + (4 * fds.Count)));
                    Marshal.WriteInt32(control, IntPtr.Size, SolSocket);
                    Marshal.WriteInt32(control, IntPtr.Size + 4, ScmRights);
                    for (int i = 0; i < fds.Count; i++)
                    {
                        Marshal.WriteInt32(control, HeaderSize + (4 * i), fds[i]);
                    }
                }

                Marshal.StructureToPtr(new IoVec { Base = pin.AddrOfPinnedObject() + offset, Length = (nuint)count }, iovPtr, false);
                var msg = new MsgHdr { Iov = iovPtr, IovLength = 1, Control = control, ControlLength = (nuint)controlLength };
                while (true)
                {
                    nint n = sendmsg(socketFd, ref msg, MsgNoSignal);
                    if (n >= 0)
                    {
                        return (int)n;
                    }

                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != EIntr)
                    {
                        throw new SocketException(errno);
                    }
                }
            }
            finally
            {
                pin.Free();
                Marshal.FreeHGlobal(iovPtr);
                if (control != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(control);
                }
            }
        }

        /// <summary>Receives bytes; descriptors that arrive are appended to <paramref name="fds"/>. 0 = end of stream.</summary>
        public static int Receive(int socketFd, byte[] buffer, int offset, int count, List<int> fds)
        {
            GCHandle pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            int controlLength = HeaderSize + Align(4 * DBusLimits.MaxUnixFdsPerMessage);
            IntPtr control = Marshal.AllocHGlobal(controlLength);
            IntPtr iovPtr = Marshal.AllocHGlobal(Marshal.SizeOf<IoVec>());
            try
            {
                Marshal.StructureToPtr(new IoVec { Base = pin.AddrOfPinnedObject() + offset, Length = (nuint)count }, iovPtr, false);
                var msg = new MsgHdr { Iov = iovPtr, IovLength = 1, Control = control, ControlLength = (nuint)controlLength };
                nint n;
                while (true)
                {
                    n = recvmsg(socketFd, ref msg, MsgCmsgCloexec);
                    if (n >= 0)
                    {
                        break;
                    }

                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != EIntr)
                    {
                        throw new SocketException(errno);
                    }
                }

                int used = (int)msg.ControlLength;
                int pos = 0;
                while (pos + HeaderSize <= used)
                {
                    int cmsgLength = (int)Marshal.ReadIntPtr(control, pos);
                    int level = Marshal.ReadInt32(control, pos + IntPtr.Size);
                    int type = Marshal.ReadInt32(control, pos + IntPtr.Size + 4);
                    if (cmsgLength < HeaderSize)
                    {
                        break;
                    }

                    if (level == SolSocket && type == ScmRights)
                    {
                        for (int i = HeaderSize; i + 4 <= cmsgLength; i += 4)
                        {
                            fds.Add(Marshal.ReadInt32(control, pos + i));
                        }
                    }

                    pos += Align(cmsgLength);
                }

                return (int)n;
            }
            finally
            {
                pin.Free();
                Marshal.FreeHGlobal(iovPtr);
                Marshal.FreeHGlobal(control);
            }
        }
    }
}
