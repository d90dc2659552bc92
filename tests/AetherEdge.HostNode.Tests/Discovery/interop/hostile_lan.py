#!/usr/bin/python3
"""An outsider on the hubs' link: spoofed mDNS announcements, a tarpit, idle and garbage connections.

usage: hostile_lan.py OWN_IP SECONDS STATE_FILE TARPIT_PORT HUB_A_IP HUB_A_FP HUB_B_IP HUB_B_FP STRANGER_FP SYNC_PORT METRICS_PORT

For SECONDS it
- announces 2,000 _aetherlight._tcp.local instances again and again (multicast to 224.0.0.251:5353 from
  OWN_IP), eight kinds in turn: no fp; a stranger's fp; a trusted hub's fp (copied from its own announcement)
  at the tarpit; a trusted fp at closed ports of OWN_IP; hub B's fp at hub A's own address (sync and metrics
  ports) and A's fp at B's; a trusted fp at 127.0.0.1 (the hubs' loopback metrics port); a trusted fp at
  off-link addresses (203.0.113.0/24, 10.99.0.0/16);
- runs a tarpit on OWN_IP:TARPIT_PORT that accepts TCP and never answers (connections counted);
- holds 20 idle connections to each hub's sync port and sends 50 garbage connections to each
  (bare TCP, an HTTP line, random bytes, a truncated TLS ClientHello).
Every second it writes "tarpit=<accepted> announced=<instances sent> garbage=<connections>" to STATE_FILE.
Bounded: sends only to the multicast group and the two hubs, holds at most 4,096 sockets, stops after SECONDS.
"""
import os
import socket
import struct
import sys
import threading
import time

INSTANCES = 2000
SERVICE = "_aetherlight._tcp.local"


def name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        raw = label.encode()
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def record(owner, rtype, ttl, rdata, flush=False):
    cls = 0x8001 if flush else 0x0001
    return name(owner) + struct.pack("!HHIH", rtype, cls, ttl, len(rdata)) + rdata


def txt(pairs):
    out = b""
    for p in pairs:
        raw = p.encode()
        out += bytes([len(raw)]) + raw
    return out or b"\0"


def instance(i, own_ip, tarpit, a_ip, a_fp, b_ip, b_fp, stranger, sync_port, metrics_port):
    """(fp or None, address, port) of spoofed instance i."""
    kind = i % 8
    turn = i // 8
    trusted = a_fp if turn % 2 == 0 else b_fp
    if kind == 0:
        return None, own_ip, tarpit
    if kind == 1:
        return stranger, own_ip, tarpit
    if kind == 2:
        return trusted, own_ip, tarpit
    if kind == 3:
        return trusted, own_ip, 20000 + i
    if kind == 4:
        port = metrics_port if (turn // 2) % 2 == 0 else sync_port
        return (b_fp, a_ip, port) if turn % 2 == 0 else (a_fp, b_ip, port)
    if kind == 5:
        return trusted, "127.0.0.1", metrics_port
    if kind == 6:
        return trusted, "203.0.113.%d" % (i % 250 + 1), sync_port
    return trusted, "10.99.%d.%d" % (i % 250, i % 200 + 1), sync_port


def packet(batch, args):
    answers = b""
    count = 0
    for i in batch:
        fp, ip, port = instance(i, *args)
        inst = "spoof%04d.%s" % (i, SERVICE)
        host = "spoof%04d.local" % i
        pairs = ["node_id=spoof%04d" % i, "device_type=hub", "version=1.0.0"]
        if fp is not None:
            pairs.append("fp=" + fp)
        answers += record(SERVICE, 12, 4500, name(inst))
        answers += record(inst, 33, 120, struct.pack("!HHH", 0, 0, port) + name(host), True)
        answers += record(inst, 16, 4500, txt(pairs), True)
        answers += record(host, 1, 120, socket.inet_aton(ip), True)
        count += 4
    return struct.pack("!HHHHHH", 0, 0x8400, 0, count, 0, 0) + answers


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.tarpit = 0
        self.announced = 0
        self.garbage = 0
        self.held = []

    def hold(self, s):
        with self.lock:
            if len(self.held) < 4096:
                self.held.append(s)
                return
        s.close()


def tarpit(own_ip, port, state, stop):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((own_ip, port))
    srv.listen(512)
    srv.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        with state.lock:
            state.tarpit += 1
        state.hold(conn)
    srv.close()


def garbage(own_ip, hubs, port, state, stop):
    payloads = [b"", b"GET / HTTP/1.0\r\n\r\n", os.urandom(512), bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])]
    for hub in hubs:
        for _ in range(20):
            try:
                s = socket.create_connection((hub, port), timeout=2, source_address=(own_ip, 0))
                state.hold(s)
            except OSError:
                pass
    for n in range(50):
        for hub in hubs:
            if stop.is_set():
                return
            try:
                s = socket.create_connection((hub, port), timeout=2, source_address=(own_ip, 0))
                s.sendall(payloads[n % len(payloads)])
                s.close()
                with state.lock:
                    state.garbage += 1
            except OSError:
                pass
        time.sleep(0.05)


def main():
    own_ip, seconds, state_file, tarpit_port = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    a_ip, a_fp, b_ip, b_fp, stranger = sys.argv[5:10]
    sync_port, metrics_port = int(sys.argv[10]), int(sys.argv[11])
    args = (own_ip, tarpit_port, a_ip, a_fp, b_ip, b_fp, stranger, sync_port, metrics_port)
    state = State()
    stop = threading.Event()
    threads = [
        threading.Thread(target=tarpit, args=(own_ip, tarpit_port, state, stop), daemon=True),
        threading.Thread(target=garbage, args=(own_ip, [a_ip, b_ip], sync_port, state, stop), daemon=True),
    ]
    for t in threads:
        t.start()

    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(own_ip))
    tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    tx.bind((own_ip, 5353))
    packets = [packet(range(i, min(i + 4, INSTANCES)), args) for i in range(0, INSTANCES, 4)]
    end = time.monotonic() + seconds
    last = 0.0
    while time.monotonic() < end:
        for p in packets:
            tx.sendto(p, ("224.0.0.251", 5353))
            with state.lock:
                state.announced += 4
            time.sleep(0.002)
            now = time.monotonic()
            if now - last >= 1:
                last = now
                with state.lock:
                    line = "tarpit=%d announced=%d garbage=%d\n" % (state.tarpit, state.announced, state.garbage)
                with open(state_file + ".tmp", "w") as f:
                    f.write(line)
                os.replace(state_file + ".tmp", state_file)
            if now >= end:
                break
    stop.set()
    with state.lock:
        line = "tarpit=%d announced=%d garbage=%d\n" % (state.tarpit, state.announced, state.garbage)
    with open(state_file + ".tmp", "w") as f:
        f.write(line)
    os.replace(state_file + ".tmp", state_file)
    print(line.strip())


if __name__ == "__main__":
    main()
