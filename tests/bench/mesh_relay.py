#!/usr/bin/env python3
"""Forwarding benchmark (issue 15): a hub's relayed throughput and memory next to a direct transfer.

Two kits of three real `aether hub` processes on loopback, run one after the other in the same run:
  relayed: A - B - C (A and C know only B's address; they meet through B's mesh and sync end to end
           through a tunnel B splices), and
  direct:  A' - B' - C' plus A' - C' (same three devices' plan, C' pulls from A' itself).
A file of SIZE MiB is put on A (A') with `put --no-hub`, so A holds every shard and both kits move C's share
the same way (a sync pull; a hub-handled put would stream C's share to C' during the put, which has no relayed
counterpart). Before it, a WARMUP_MIB file (default 16; 0: none) crosses the same way, so the measured put finds
the relay's code jitted and its pools filled. Two clocks: "transfer" runs from the first byte of C's share on C's
disk (shard temps included) until C holds its planned shards (5 of 15 with three equal hubs); "from put" from the
end of the put (adds the up-to-1-s sync interval and the session set-up). Throughput = C's planned bytes / transfer.
B's memory: B's peak RSS while the kit moves the file (VmHWM, reset through /proc/PID/clear_refs just before the
put) minus its RSS just before the put ("B peak rise"), and minus its RSS before the warm-up ("since start"), next
to its relay buffer (--relay-buffer; env RELAY_BUFFER, default 16MB).
CPU: user+system seconds each hub spent from the put's end to C's last byte.
Prints one table; exits 1 when something did not finish.
"""
import os, re, shutil, signal, subprocess, sys, tempfile, time

DLL = os.environ.get("AETHER_DLL") or os.path.join(os.path.dirname(__file__), "../../hostnode/AetherEdge.HostNode/bin/Release/net10.0/aether.dll")
SIZES = [int(s) for s in (sys.argv[1:] or ["128", "512"])]
RELAY = os.environ.get("RELAY_BUFFER", "16MB")
PLANNED = 5  # shards of 15 each equal hub holds
WARMUP_MIB = int(os.environ.get("WARMUP_MIB", "16"))  # a first file relayed before the measured one (0: none)
# Profiling (optional): PROFILE=gc-verbose|cpu-sampling|... traces the hubs named in PROFILE_NODES (default b) with
# dotnet-trace from just before the put until C is done, into PROFILE_DIR/<kit>-<node>.nettrace.
PROFILE = os.environ.get("PROFILE")
PROFILE_NODES = os.environ.get("PROFILE_NODES", "b").split(",")
PROFILE_DIR = os.environ.get("PROFILE_DIR", "/tmp")
TRACE = os.environ.get("DOTNET_TRACE", os.path.expanduser("~/.dotnet/tools/dotnet-trace"))
# GCDUMP_AFTER=SECONDS: one dotnet-gcdump of B that many seconds after C's first byte (live objects while relaying);
# B_HOOK="COMMAND {pid} {out}" runs COMMAND instead of dotnet-gcdump.
GCDUMP_AFTER = os.environ.get("GCDUMP_AFTER")
B_HOOK = os.environ.get("B_HOOK", os.path.expanduser("~/.dotnet/tools/dotnet-gcdump") + " collect -p {pid} -o {out}.gcdump")

def aether(*args, check=True):
    r = subprocess.run(["dotnet", DLL, *args], capture_output=True, text=True, timeout=300)
    if check and r.returncode != 0:
        raise SystemExit("aether " + " ".join(args) + " failed: " + r.stdout + r.stderr)
    return r.stdout

def pair(root, show, join):
    log = open(os.path.join(root, "pair-%s-%s.log" % (show, join)), "w+")
    p = subprocess.Popen(["dotnet", DLL, "pair", "--home", os.path.join(root, show), "--name", show, "--port", "0",
                          "--interface", "127.0.0.1", "--no-mdns", "--timeout", "60"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        log.seek(0)
        m = re.search(r"--code (\d{6}) --peer <this-address>:(\d+)", log.read())
        if m:
            break
        time.sleep(0.1)
    else:
        raise SystemExit("no pairing code")
    aether("pair", "--home", os.path.join(root, join), "--name", join, "--code", m.group(1), "--peer", "127.0.0.1:" + m.group(2))
    p.wait(60)

def trusted(root, node):
    return {l.split()[0] for l in aether("trust", "list", "--home", os.path.join(root, node)).splitlines() if l.strip()}

def shard_files(home):
    d = os.path.join(home, "shards")
    return [os.path.join(dp, f) for dp, _, fs in os.walk(d) for f in fs if re.fullmatch(r"[0-9a-f]{64}", f)]

def rss_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0

def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def disk_bytes(home):
    d = os.path.join(home, "shards")
    total = 0
    for dp, _, fs in os.walk(d):
        for f in fs:
            try:
                total += os.path.getsize(os.path.join(dp, f))
            except OSError:
                pass  # a temp renamed or removed between the walk and the stat
    return total

def kit(root, size_mib, relayed, base_port):
    names = ["a", "b", "c"]
    for n in names:
        aether("init", "--home", os.path.join(root, n), "--kind", "hub", "--allocation", "8GB", "--name", n)
    pair(root, "a", "b")
    pair(root, "b", "c")
    if not relayed:
        pair(root, "a", "c")
    port = {n: base_port + i for i, n in enumerate(names)}
    peers = {"a": ["b"], "b": [], "c": ["b"]} if relayed else {"a": ["b", "c"], "b": [], "c": ["b", "a"]}
    procs = {}
    for n in ["b", "a", "c"]:
        args = ["dotnet", DLL, "hub", "--home", os.path.join(root, n), "--port", str(port[n]), "--http-port", str(port[n] + 100),
                "--no-mdns", "--sync-interval", "1", "--relay-buffer", RELAY]
        if peers[n]:
            args += ["--peers", ",".join("127.0.0.1:%d" % port[p] for p in peers[n])]
        env = dict(os.environ)
        env.update(kv.split("=", 1) for kv in os.environ.get("HUB_ENV", "").split())  # e.g. HUB_ENV="DOTNET_gcConcurrent=0" to try runtime knobs
        procs[n] = subprocess.Popen(args, stdout=open(os.path.join(root, "hub-%s.log" % n), "w"), stderr=subprocess.STDOUT, env=env)
    try:
        ids = {n: aether("id", "--home", os.path.join(root, n)).strip() for n in names}
        deadline = time.time() + 120
        while not (ids["c"] in trusted(root, "a") and ids["a"] in trusted(root, "c")):
            if time.time() > deadline:
                raise SystemExit("A and C never came to trust each other")
            time.sleep(0.5)
        time.sleep(5)  # a few rounds: everyone online in everyone's plan
        c_home = os.path.join(root, "c")
        cold = rss_kib(procs["b"].pid, "VmRSS")
        if WARMUP_MIB > 0:
            # A first, small file: the relay's code is jitted and its pools filled before the measured put.
            warm = os.path.join(root, "warm.bin")
            with open(warm, "wb") as f:
                f.write(os.urandom(WARMUP_MIB << 20))
            aether("put", warm, "--no-hub", "--home", os.path.join(root, "a"))
            deadline = time.time() + 300
            while len(shard_files(c_home)) < PLANNED:
                if time.time() > deadline:
                    raise SystemExit("C never got the warm-up file's planned shards")
                time.sleep(0.05)
            time.sleep(2)
        data = os.path.join(root, "file.bin")
        with open(data, "wb") as f:
            block = os.urandom(1 << 20)
            for i in range(size_mib):
                f.write(block[:-8] + i.to_bytes(8, "big"))
        c_before = disk_bytes(c_home)
        c_count = len(shard_files(c_home))
        before = rss_kib(procs["b"].pid, "VmRSS")
        tracers = []
        if PROFILE:
            for n in PROFILE_NODES:
                out = os.path.join(PROFILE_DIR, "%s-%s.nettrace" % ("relayed" if relayed else "direct", n))
                tracers.append(subprocess.Popen([TRACE, "collect", "-p", str(procs[n].pid), "--profile", PROFILE, "-o", out],
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(3)  # the session is up before the put
        with open("/proc/%d/clear_refs" % procs["b"].pid, "w") as f:
            f.write("5")  # resets VmHWM to the current RSS: the peak below is this transfer's
        aether("put", data, "--no-hub", "--home", os.path.join(root, "a"))
        os.remove(data)
        start = time.time()
        cpu0 = {n: cpu_seconds(procs[n].pid) for n in names}
        first = None
        dumper = None
        deadline = start + 600
        while len(shard_files(c_home)) < c_count + PLANNED:
            if time.time() > deadline:
                raise SystemExit("C never got its planned shards")
            if first is None and disk_bytes(c_home) > c_before:
                first = time.time()
            if GCDUMP_AFTER and dumper is None and first is not None and time.time() >= first + float(GCDUMP_AFTER):
                out = os.path.join(PROFILE_DIR, "%s-b" % ("relayed" if relayed else "direct"))
                dumper = subprocess.Popen(["sh", "-c", B_HOOK.format(pid=procs["b"].pid, out=out)],
                                          stdout=open(out + ".hook.txt", "w"), stderr=subprocess.STDOUT)
            time.sleep(0.02)
        done = time.time()
        cpu = {n: cpu_seconds(procs[n].pid) - cpu0[n] for n in names}
        if dumper:
            dumper.wait(120)
        for t in tracers:
            t.send_signal(signal.SIGINT)
            t.wait(60)
        held = disk_bytes(c_home) - c_before
        peak = rss_kib(procs["b"].pid, "VmHWM")
        return {"held": held, "xfer": done - (first or start), "e2e": done - start, "before": before, "cold": cold, "peak": peak, "cpu": cpu}
    finally:
        for p in procs.values():
            p.send_signal(signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()

def main():
    rows = []
    for size in SIZES:
        for relayed, base in ((False, 46100), (True, 46200)):
            if os.environ.get("KITS", "direct,relayed").find("relayed" if relayed else "direct") < 0:
                continue  # KITS=relayed: only the relayed kit (while tuning; the ratio needs both)
            root = tempfile.mkdtemp(prefix="aesy-relay-")
            try:
                r = kit(root, size, relayed, base)
                r["size"], r["path"] = size, ("relayed A-B-C" if relayed else "direct A-C")
                rows.append(r)
            finally:
                shutil.rmtree(root, ignore_errors=True)
    limit_mib = parse_size(RELAY) / 2**20
    print("| file MiB | path | C's planned bytes | transfer s | MiB/s | from put s | B RSS before (MiB) | B peak rise (MiB) | B peak rise since start (MiB) | relay buffer | CPU s A / B / C |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for r in rows:
        print("| %d | %s | %d | %.2f | %.1f | %.2f | %.0f | %.1f | %.1f | %s | %.1f / %.1f / %.1f |" % (
            r["size"], r["path"], r["held"], r["xfer"], r["held"] / r["xfer"] / 2**20, r["e2e"], r["before"] / 1024,
            (r["peak"] - r["before"]) / 1024, (r["peak"] - r["cold"]) / 1024, RELAY, r["cpu"]["a"], r["cpu"]["b"], r["cpu"]["c"]))
    for size in SIZES:
        d = [r for r in rows if r["size"] == size and r["path"].startswith("direct")]
        r = [r for r in rows if r["size"] == size and r["path"].startswith("relayed")]
        if not d or not r:
            continue
        d, r = d[0], r[0]
        ratio = (r["held"] / r["xfer"]) / (d["held"] / d["xfer"])
        rise = (r["peak"] - r["before"]) / 2**10
        print("size %d MiB: relayed/direct throughput = %.2fx (goal >= 0.5x: %s); B's peak RSS rise while relaying %.1f MiB vs relay buffer %.1f MiB (%s)" % (
            size, ratio, "met" if ratio >= 0.5 else "NOT met", rise, limit_mib, "within" if rise <= limit_mib else "ABOVE"))

def parse_size(text):
    m = re.fullmatch(r"(\d+)\s*(B|KB|MB|GB|KiB|MiB|GiB)?", text.strip(), re.I)
    if not m:
        raise SystemExit("RELAY_BUFFER: a size like 16MB")
    unit = (m.group(2) or "B").lower()
    return int(m.group(1)) * {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "kib": 1024, "mib": 1024**2, "gib": 1024**3}[unit]

if __name__ == "__main__":
    main()
