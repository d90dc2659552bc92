#!/usr/bin/python3
"""Register one _aetherlight._tcp instance with python-zeroconf until SIGTERM or SECONDS pass.

usage: zc_register.py INTERFACE_IP INSTANCE ADDRESS PORT SECONDS
Prints "Registered <instance> t=<unix time>" once the name is claimed; unregisters (goodbye) on exit.
"""
import signal
import socket
import sys
import time

from zeroconf import IPVersion, ServiceInfo, Zeroconf

TYPE = "_aetherlight._tcp.local."


def main():
    iface, instance, address, port, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    zc = Zeroconf(interfaces=[iface], ip_version=IPVersion.V4Only)
    info = ServiceInfo(
        TYPE,
        "%s.%s" % (instance, TYPE),
        addresses=[socket.inet_aton(address)],
        port=port,
        properties={"node_id": "zc-" + instance, "device_type": "laptop", "storage_bytes": "1000", "version": "zc"},
        server="zc-%s.local." % instance.replace(" ", "-"),
    )
    started = time.time()
    zc.register_service(info)
    print("Registered %s t=%.3f start=%.3f" % (info.name[: -len(TYPE) - 1], time.time(), started), flush=True)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline and not stop:
            time.sleep(0.02)
    finally:
        zc.unregister_service(info)
        zc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
