#!/usr/bin/python3
"""Discovery-latency benchmark: aether vs python-zeroconf vs avahi, in two network namespaces.

Run through discovery-latency.sh (root). Two cases, each measured ROUNDS times per cell:
  new node     browsers already running in A; a responder registers in B at t0; latency = t0 -> browser resolved it
               (aether: service start inside `aether advertise`, also reported from process launch;
                zeroconf: register_service() call; avahi: service file + SIGHUP)
  running node responder already announced in B; a browser process starts in A; latency = browser's own
               "started" stamp (sockets open, browsing begun: after Zeroconf()+ServiceBrowser() / MdnsService.Start())
               -> resolved, and process launch -> resolved (incl. runtime start-up)
Prints p50/p95/max per cell in milliseconds.
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

A, B = "aemdbA", "aemdbB"
ADDR_A, ADDR_B = "10.77.1.1", "10.77.1.2"
PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
INTEROP = os.path.join(HERE, "..", "AetherEdge.HostNode.Tests", "Discovery", "interop")
AVAHI_ETC = "/etc/netns/%s/avahi" % B
ROUNDS = int(os.environ.get("ROUNDS", "10"))
PROCS = []


def sh(*cmd, check=True):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if check and r.returncode != 0:
        raise RuntimeError("%s failed (%d)" % (" ".join(cmd), r.returncode))


def setup():
    teardown()
    sh("ip", "netns", "add", A)
    sh("ip", "netns", "add", B)
    sh("ip", "link", "add", "aemdbvA", "type", "veth", "peer", "name", "aemdbvB")
    sh("ip", "link", "set", "aemdbvA", "netns", A)
    sh("ip", "link", "set", "aemdbvB", "netns", B)
    sh("ip", "-n", A, "addr", "add", ADDR_A + "/24", "dev", "aemdbvA")
    sh("ip", "-n", B, "addr", "add", ADDR_B + "/24", "dev", "aemdbvB")
    for ns, dev in ((A, "aemdbvA"), (B, "aemdbvB")):
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "link", "set", dev, "up")
    os.makedirs(AVAHI_ETC + "/services", exist_ok=True)
    with open(AVAHI_ETC + "/avahi-daemon.conf", "w") as f:
        f.write("[server]\nhost-name=avahi-bench\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=aemdbvB\n"
                "enable-dbus=no\n[publish]\npublish-addresses=yes\n[reflector]\n[rlimits]\n")


def teardown():
    for p in PROCS:
        if p.poll() is None:
            p.kill()
            p.wait(3)
    sh("ip", "netns", "del", A, check=False)
    sh("ip", "netns", "del", B, check=False)
    shutil.rmtree("/etc/netns/" + B, ignore_errors=True)


class Proc:
    """A process in a namespace whose stdout lines are collected with arrival times."""

    def __init__(self, ns, *cmd):
        self.launched = time.time()
        self.p = subprocess.Popen(("ip", "netns", "exec", ns) + cmd, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, bufsize=1)
        PROCS.append(self.p)
        self.lines = []
        self.cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            with self.cv:
                self.lines.append((time.time(), line.rstrip("\n")))
                self.cv.notify_all()

    def wait_line(self, pred, timeout):
        deadline = time.time() + timeout
        with self.cv:
            while True:
                for t, line in self.lines:
                    if pred(line):
                        return t, line
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.cv.wait(left)

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(3)


def aether(ns, *args):
    return Proc(ns, os.environ.get("DOTNET", "dotnet"), os.environ["AETHER_DLL"], *args)


def zc(ns, script, *args):
    return Proc(ns, PY, os.path.join(INTEROP, script), *args)


def found_aether(name):
    def pred(line):
        if not line.startswith("{"):
            return False
        e = json.loads(line)
        return e.get("event") == "added" and e["peer"]["instance"] == name
    return pred


def found_zc(name):
    return lambda line: line.startswith("Added " + name + " ")


def event_time(line):
    """The time the browser itself stamped on its event line (unix seconds)."""
    if line.startswith("{"):
        return json.loads(line)["unixMs"] / 1000.0
    return float(line.rsplit("t=", 1)[1])


class Avahi:
    def __init__(self):
        self.proc = Proc(B, "unshare", "-m", "sh", "-c",
                         "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && "
                         "exec avahi-daemon --no-drop-root --no-chroot --no-rlimits")
        time.sleep(0.5)

    def publish(self, name):
        with open("%s/services/%s.service" % (AVAHI_ETC, name), "w") as f:
            f.write("<?xml version=\"1.0\" standalone='no'?>\n<!DOCTYPE service-group SYSTEM \"avahi-service.dtd\">\n"
                    "<service-group><name>%s</name><service><type>_aetherlight._tcp</type><port>47002</port>"
                    "<txt-record>node_id=%s</txt-record></service></service-group>\n" % (name, name))
        # `ip netns exec` bind-mounts /etc/netns/B/avahi over /etc/avahi at start, so new files are visible.
        t0 = time.time()
        self.proc.p.send_signal(signal.SIGHUP)
        return t0

    def unpublish(self, name):
        os.remove("%s/services/%s.service" % (AVAHI_ETC, name))
        self.proc.p.send_signal(signal.SIGHUP)


def new_node(avahi):
    """Browsers first, then responders come and go; returns {(responder, browser): [ms]} twice."""
    results, with_launch = {}, {}
    browsers = {"aether": aether(A, "peers", "--interface", ADDR_A, "--watch", "--timeout", "3600"),
                "zeroconf": zc(A, "zc_browse.py", ADDR_A, "3600")}
    browsers["aether"].wait_line(lambda l: '"started"' in l, 10)
    browsers["zeroconf"].wait_line(lambda l: l.startswith("Started"), 10)
    time.sleep(1.5)
    for rnd in range(ROUNDS):
        for responder in ("aether", "zeroconf", "avahi"):
            name = "new-%s-%d" % (responder, rnd)
            launched = None
            if responder == "aether":
                proc = aether(B, "advertise", "--name", name, "--interface", ADDR_B)
                launched = proc.launched
                probing = proc.wait_line(lambda l: "probing" in l, 10)
                t0 = int(probing[1].rsplit("unixMs ", 1)[1].rstrip(")")) / 1000.0 if probing else None
            elif responder == "zeroconf":
                proc = zc(B, "zc_register.py", ADDR_B, name, ADDR_B, "4711", "60")
                t0 = None
            else:
                proc = None
                t0 = avahi.publish(name)
            for bname, b in browsers.items():
                hit = b.wait_line(found_aether(name) if bname == "aether" else found_zc(name), 10)
                if t0 is None:
                    start = proc.wait_line(lambda l: l.startswith("Registered"), 10)
                    t0 = float(start[1].rsplit("start=", 1)[1]) if start else None
                if hit and t0:
                    results.setdefault((responder, bname), []).append((event_time(hit[1]) - t0) * 1000)
                if hit and launched:
                    with_launch.setdefault((responder, bname), []).append((event_time(hit[1]) - launched) * 1000)
            if proc:
                proc.stop()
            else:
                avahi.unpublish(name)
            time.sleep(1.3)
    for b in browsers.values():
        b.stop()
    return results, with_launch


def running_node(avahi):
    """Responders already up; a browser process starts and looks for each; returns two dicts of [ms]."""
    inproc, launch = {}, {}
    responders = {
        "aether": aether(B, "advertise", "--name", "run-aether", "--interface", ADDR_B),
        "zeroconf": zc(B, "zc_register.py", ADDR_B, "run-zeroconf", ADDR_B, "4711", "3600"),
    }
    avahi.publish("run-avahi")
    responders["aether"].wait_line(lambda l: l == "run-aether", 10)
    responders["zeroconf"].wait_line(lambda l: l.startswith("Registered"), 10)
    time.sleep(3)
    for rnd in range(ROUNDS):
        for responder in ("aether", "zeroconf", "avahi"):
            name = "run-" + responder
            for bname in ("aether", "zeroconf"):
                if bname == "aether":
                    b = aether(A, "peers", "--interface", ADDR_A, "--watch", "--timeout", "10")
                    started = b.wait_line(lambda l: '"started"' in l, 10)
                    hit = b.wait_line(found_aether(name), 10)
                else:
                    b = zc(A, "zc_browse.py", ADDR_A, "10", name)
                    started = b.wait_line(lambda l: l.startswith("Started"), 10)
                    hit = b.wait_line(found_zc(name), 10)
                if hit and started:
                    inproc.setdefault((responder, bname), []).append((event_time(hit[1]) - event_time(started[1])) * 1000)
                    launch.setdefault((responder, bname), []).append((event_time(hit[1]) - b.launched) * 1000)
                b.stop(signal.SIGKILL)
                # Responders multicast a record at most once a second (RFC 6762 §6) and some (zeroconf) then
                # ignore a QU query too: let that window pass so each measurement meets an idle responder.
                time.sleep(1.5)
    for r in responders.values():
        r.stop()
    avahi.unpublish("run-avahi")
    return inproc, launch


def p95(values):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def table(title, results):
    print("\n%s" % title)
    print("%-10s %-10s %5s %8s %8s %8s" % ("responder", "browser", "n", "p50 ms", "p95 ms", "max ms"))
    for (responder, browser) in sorted(results):
        v = results[(responder, browser)]
        print("%-10s %-10s %5d %8.0f %8.0f %8.0f" % (responder, browser, len(v), statistics.median(v), p95(v), max(v)))


def main():
    if os.geteuid() != 0:
        print("discovery-latency: needs root (network namespaces)", file=sys.stderr)
        return 2
    setup()
    try:
        avahi = Avahi()
        results, with_launch = new_node(avahi)
        inproc, launch = running_node(avahi)
        print("discovery latency, %d rounds per cell, veth between two network namespaces" % ROUNDS)
        table("NEW NODE: responder registers while browsers run; from registration (goal p95 <= 800 ms)", results)
        table("NEW NODE: aether responder from process launch (includes .NET start-up)", with_launch)
        table("RUNNING NODE: browser starts, responder already up; from the browser's own start (goal p95 <= 150 ms)", inproc)
        table("RUNNING NODE: same, from browser process launch (includes runtime start-up)", launch)
    finally:
        teardown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
