#!/usr/bin/python3
"""Helpers for the head-to-head benchmarks (syncthing-bench.sh, aether-vs-syncthing.sh).

Subcommands (argument lists are positional; DEV = NAME@GUIPORT@APIKEY@DEVICEID[@PID,PID...]):
  free_ports N                         N free loopback TCP ports
  gen_data big|small DIR MIB NFILES    random data: one MIB-MiB file, or NFILES files of 1 MiB
  manifest DIR                         "sha256  relpath" of every file under DIR, sorted
  st_config CFG MYID MYNAME LISTEN GUI FOLDER TYPE WATCH RESCAN PEER...
                                       Syncthing config, loopback only; PEER = ID@NAME@PORT
  st_ready TIMEOUT DEV...              wait until every device is connected to every other and idle
  st_measure SRC AFOLDER NBYTES NFILES TIMEOUT DEV...
                                       first DEV is the sender; time from rename+scan on it until
                                       every other DEV has all files; JSON with per-device CPU,
                                       peak RSS and bytes written
  proc PID[,PID...]                    "cpu_s write_bytes vmhwm_kib" summed (peak: max) over pids
"""
import hashlib
import json
import os
import socket
import sys
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    print(" ".join(map(str, ports)))


def gen_data(kind, dst, mib, nfiles):
    os.makedirs(dst, exist_ok=True)
    if kind == "big":
        with open(os.path.join(dst, "big.bin"), "wb") as f:
            for _ in range(mib):
                f.write(os.urandom(1 << 20))
    else:
        for i in range(nfiles):
            with open(os.path.join(dst, "f%05d.bin" % i), "wb") as f:
                f.write(os.urandom(1 << 20))


def manifest(root):
    out = []
    for dp, dn, fn in os.walk(root):
        dn.sort()
        for name in sorted(fn):
            p = os.path.join(dp, name)
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            out.append("%s  %s" % (h.hexdigest(), os.path.relpath(p, root)))
    out.sort(key=lambda line: line[66:])
    print("\n".join(out))


def proc_stats(pids):
    """(cpu seconds, bytes written to storage, peak RSS KiB) over comma-separated pids; missing pids count 0."""
    cpu = written = 0
    peak = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids.split(","):
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / tick
            with open("/proc/%s/io" % pid) as f:
                for line in f:
                    if line.startswith("write_bytes:"):
                        written += int(line.split()[1])
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return cpu, written, peak


def proc(pids):
    cpu, written, peak = proc_stats(pids)
    print("%.3f %d %d" % (cpu, written, peak))


def st_config(cfg, my_id, my_name, listen_port, gui_port, folder_path, folder_type, watcher, rescan_s, *peers):
    t = ET.parse(cfg)
    r = t.getroot()
    for d in r.findall("device"):
        if d.get("id") == my_id:
            d.set("name", my_name)
    gui = r.find("gui")
    gui.set("enabled", "true")
    gui.set("tls", "false")
    gui.find("address").text = "127.0.0.1:%s" % gui_port
    o = r.find("options")

    def opt(name, val):
        e = o.find(name)
        if e is None:
            e = ET.SubElement(o, name)
        e.text = str(val)

    opt("listenAddress", "tcp://127.0.0.1:%s" % listen_port)   # TCP only: no QUIC (so no STUN), no relay
    for name, val in (("globalAnnounceEnabled", "false"), ("localAnnounceEnabled", "false"),
                      ("relaysEnabled", "false"), ("natEnabled", "false"), ("startBrowser", "false"),
                      ("urAccepted", "-1"), ("urSeen", "3"), ("crashReportingEnabled", "false"),
                      ("autoUpgradeIntervalH", "0"), ("stunKeepaliveStartS", "0"),
                      ("announceLANAddresses", "false"), ("reconnectionIntervalS", "5"),
                      ("setLowPriority", "false")):   # not reniced: equal footing with aether
        opt(name, val)
    defaults = r.find("defaults")
    fol = ET.fromstring(ET.tostring(defaults.find("folder")))
    fol.set("id", "bench")
    fol.set("label", "bench")
    fol.set("path", folder_path)
    fol.set("type", folder_type)
    fol.set("rescanIntervalS", str(rescan_s))
    fol.set("fsWatcherEnabled", "true" if watcher == "1" else "false")
    fol.set("fsWatcherDelayS", "1")
    for peer in peers:
        peer_id, peer_name, peer_port = peer.split("@")
        dev = ET.fromstring(ET.tostring(defaults.find("device")))
        dev.set("id", peer_id)
        dev.set("name", peer_name)
        dev.find("address").text = "tcp://127.0.0.1:%s" % peer_port
        r.insert(list(r).index(gui), dev)
        pd = ET.Element("device", {"id": peer_id, "introducedBy": ""})
        ET.SubElement(pd, "encryptionPassword").text = ""
        idx = [i for i, c in enumerate(fol) if c.tag == "device"][-1]
        fol.insert(idx + 1, pd)
    r.insert(0, fol)
    t.write(cfg)


class Dev:
    def __init__(self, spec):
        parts = spec.split("@")
        self.name, self.port, self.key, self.id = parts[0], int(parts[1]), parts[2], parts[3]
        self.pids = parts[4] if len(parts) > 4 else ""
        self.base = "http://127.0.0.1:%d" % self.port

    def req(self, path, method="GET", timeout=5):
        rq = urllib.request.Request(self.base + path, method=method, headers={"X-API-Key": self.key})
        with urllib.request.urlopen(rq, timeout=timeout) as f:
            body = f.read()
        return json.loads(body) if body.strip() else None


def st_ready(timeout, *specs):
    devs = [Dev(s) for s in specs]
    end = time.time() + float(timeout)
    last = None
    while time.time() < end:
        try:
            ok = True
            for d in devs:
                conns = d.req("/rest/system/connections")["connections"]
                if d.req("/rest/db/status?folder=bench")["state"] != "idle":
                    ok = False
                for other in devs:
                    if other is not d and not conns.get(other.id, {}).get("connected"):
                        ok = False
                        last = "%s not connected to %s" % (d.name, other.name)
            if ok:
                print("connected: %s, each to every other" % ", ".join(d.name for d in devs))
                return 0
        except Exception as e:  # not up yet
            last = repr(e)
        time.sleep(0.2)
    print("not ready: %s" % (last,), file=sys.stderr)
    return 1


def st_measure(src, a_folder, nbytes, nfiles, timeout, *specs):
    devs = [Dev(s) for s in specs]
    sender, receivers = devs[0], devs[1:]
    nbytes, nfiles = int(nbytes), int(nfiles)
    before = {d.name: proc_stats(d.pids) for d in devs}
    scan = {}
    t0 = time.time()
    os.rename(src, os.path.join(a_folder, "data"))      # data appears in A's folder (one rename)

    def do_scan():
        try:
            sender.req("/rest/db/scan?folder=bench", method="POST", timeout=float(timeout))
        except Exception as e:
            scan["err"] = repr(e)
        scan["t"] = time.time()

    th = threading.Thread(target=do_scan, daemon=True)
    th.start()
    end = t0 + float(timeout)
    done = {}
    st = None
    while time.time() < end and len(done) < len(receivers):
        for r in receivers:
            if r.name in done:
                continue
            try:
                st = r.req("/rest/db/status?folder=bench")
                if (st["globalBytes"] >= nbytes and st["globalFiles"] == nfiles and st["needTotalItems"] == 0
                        and st["inSyncBytes"] == st["globalBytes"] and st["localFiles"] == nfiles
                        and st["state"] == "idle"):
                    comp = r.req("/rest/db/completion?folder=bench&device=" + r.id)
                    if comp["completion"] == 100 and comp["needBytes"] == 0:
                        done[r.name] = time.time() - t0
            except Exception:
                pass
        time.sleep(0.05)
    if len(done) < len(receivers):
        print(json.dumps({"ok": False, "done": done, "last_status": st}), flush=True)
        return 1
    seconds = max(done.values())
    th.join(timeout=30)
    out = {"ok": True, "seconds": seconds, "scanA_seconds": scan.get("t", float("nan")) - t0,
           "scan_err": scan.get("err"), "done": done, "devices": {}}
    for d in devs:
        cpu, written, peak = proc_stats(d.pids)
        out["devices"][d.name] = {"cpu_s": cpu - before[d.name][0],
                                  "written_MiB": (written - before[d.name][1]) / 1048576.0,
                                  "peak_rss_MiB": peak / 1024.0}
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    rc = {"free_ports": lambda: free_ports(int(args[0])),
          "gen_data": lambda: gen_data(args[0], args[1], int(args[2]), int(args[3])),
          "manifest": lambda: manifest(args[0]),
          "proc": lambda: proc(args[0]),
          "st_config": lambda: st_config(*args),
          "st_ready": lambda: st_ready(*args),
          "st_measure": lambda: st_measure(*args)}[cmd]()
    sys.exit(rc or 0)
