#!/usr/bin/python3
"""Browse _aetherlight._tcp with python-zeroconf on one interface; print one line per event.

usage: zc_browse.py INTERFACE_IP SECONDS [EXPECT_INSTANCE]
Lines: "Started t=<unix time>", then "Added <instance> port=<p> addrs=<a,b> txt=<k=v;...> t=<unix time>",
"Removed <instance> t=...", "Updated ...".
With EXPECT_INSTANCE, exits 0 as soon as that instance is added (1 on timeout).
"""
import sys
import time

from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

TYPE = "_aetherlight._tcp.local."


def main():
    iface, seconds = sys.argv[1], float(sys.argv[2])
    expect = sys.argv[3] if len(sys.argv) > 3 else None
    zc = Zeroconf(interfaces=[iface], ip_version=IPVersion.V4Only)
    found = []

    def on_change(zeroconf, service_type, name, state_change):
        instance = name[: -len(TYPE) - 1] if name.endswith("." + TYPE) else name
        if state_change is ServiceStateChange.Removed:
            print("Removed %s t=%.3f" % (instance, time.time()), flush=True)
            return
        info = zeroconf.get_service_info(service_type, name, timeout=3000)
        if info is None:
            print("Unresolved %s" % instance, flush=True)
            return
        txt = ";".join(
            "%s=%s" % (k.decode(), "" if v is None else v.decode()) for k, v in sorted(info.properties.items())
        )
        addrs = ",".join(info.parsed_addresses())
        print("%s %s port=%d addrs=%s txt=%s t=%.3f" % (state_change.name, instance, info.port, addrs, txt, time.time()), flush=True)
        if state_change is ServiceStateChange.Added:
            found.append(instance)

    ServiceBrowser(zc, TYPE, handlers=[on_change])
    print("Started t=%.3f" % time.time(), flush=True)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if expect is not None and expect in found:
                return 0
            time.sleep(0.02)
    finally:
        zc.close()
    return 1 if expect is not None else 0


if __name__ == "__main__":
    sys.exit(main())
