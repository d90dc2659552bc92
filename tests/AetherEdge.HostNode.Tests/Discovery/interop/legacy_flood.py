#!/usr/bin/python3
"""Floods a responder with legacy (RFC 6762 §6.7) queries from many ephemeral ports of one address.

usage: legacy_flood.py INTERFACE_IP TARGET_IP NAME TYPE_CODE COUNT SOCKETS
Sends COUNT queries (IDs 0..COUNT-1) round-robin from SOCKETS sockets, half to 224.0.0.251:5353 and half
to TARGET_IP:5353, then keeps reading replies until 2 s pass without one (at most 10 s), and prints
"queries=<n> querybytes=<b> replies=<n> replybytes=<b>". Bounded in count and time; sends nowhere else.
"""
import select
import socket
import struct
import sys
import time


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode()
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def main():
    iface, target, name, qtype, count, nsock = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    socks = []
    for _ in range(nsock):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((iface, 0))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.setblocking(False)
        socks.append(s)
    question = encode_name(name) + struct.pack("!HH", qtype, 1)
    replies = replybytes = querybytes = 0

    def drain(timeout):
        nonlocal replies, replybytes
        ready, _, _ = select.select(socks, [], [], timeout)
        for s in ready:
            while True:
                try:
                    d = s.recv(9000)
                except BlockingIOError:
                    break
                replies += 1
                replybytes += len(d)
        return len(ready)

    for i in range(count):
        q = struct.pack("!HHHHHH", i & 0xFFFF, 0, 1, 0, 0, 0) + question
        dest = ("224.0.0.251", 5353) if i % 2 == 0 else (target, 5353)
        try:
            socks[i % nsock].sendto(q, dest)
            querybytes += len(q)
        except BlockingIOError:
            pass
        if i % 200 == 0:
            drain(0)
    deadline = time.monotonic() + 10
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - quiet_since < 2:
        if drain(0.2):
            quiet_since = time.monotonic()
    print("queries=%d querybytes=%d replies=%d replybytes=%d" % (count, querybytes, replies, replybytes), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
