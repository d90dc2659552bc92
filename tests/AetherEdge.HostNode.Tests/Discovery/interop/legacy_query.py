#!/usr/bin/python3
"""A legacy (one-shot, RFC 6762 §6.7) DNS query from an ephemeral port, without any mDNS library.

usage: legacy_query.py INTERFACE_IP NAME TYPE_CODE
Sends ID 0x5A5A to 224.0.0.251:5353 and prints one line per unicast reply:
"Reply id=<id> from=<ip>:<port> qd=<n> an=<n> flush=<0|1> maxttl=<s> types=<t,...>", or "NoReply".
"""
import socket
import struct
import sys


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode()
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def skip_name(d, i):
    while True:
        n = d[i]
        if n & 0xC0 == 0xC0:
            return i + 2
        if n == 0:
            return i + 1
        i += 1 + n


def main():
    iface, name, qtype = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((iface, 0))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface))
    s.settimeout(2.0)
    query = struct.pack("!HHHHHH", 0x5A5A, 0, 1, 0, 0, 0) + encode_name(name) + struct.pack("!HH", qtype, 1)
    s.sendto(query, ("224.0.0.251", 5353))
    try:
        d, addr = s.recvfrom(9000)
    except socket.timeout:
        print("NoReply", flush=True)
        return 1
    ident, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", d[:12])
    i = 12
    for _ in range(qd):
        i = skip_name(d, i) + 4
    flush, maxttl, types = 0, 0, []
    for _ in range(an + ns + ar):
        i = skip_name(d, i)
        rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", d[i:i + 10])
        flush |= rclass >> 15
        maxttl = max(maxttl, ttl)
        types.append(str(rtype))
        i += 10 + rdlen
    print("Reply id=%d from=%s:%d qd=%d an=%d flush=%d maxttl=%d types=%s"
          % (ident, addr[0], addr[1], qd, an, flush, maxttl, ",".join(types)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
