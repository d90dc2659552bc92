#!/usr/bin/env python3
"""Forwarding benchmark (issue 15): a hub's relayed throughput and memory next to a direct transfer.

Two kits of three real `aether hub` processes on loopback, run one after the other in the same run:
  relayed: A - B - C (A and C know only B's address; they meet through B's mesh and sync end to end
           through a tunnel B splices), and
  direct:  A' - B' - C' plus A' - C' (same three devices' plan, C' pulls from A' itself).
A file of SIZE MiB is put on A (A'); the clock runs from the end of the put until C (C') holds its
planned shards (5 of 15 with three equal hubs). Throughput = C's planned bytes / that time. B's memory:
peak RSS (VmHWM) of B's process minus its RSS just before the put, per file size, next to its relay
budget (--relay-buffer). Prints one table; exits 1 when something did not finish.
"""
import os, re, shutil, signal, subprocess, sys, tempfile, time

DLL = os.environ.get("AETHER_DLL") or os.path.join(os.path.dirname(__file__), "../../hostnode/AetherEdge.HostNode/bin/Release/net10.0/aether.dll")
SIZES = [int(s) for s in (sys.argv[1:] or ["128", "512"])]
RELAY = os.environ.get("RELAY_BUFFER", "16MB")
PLANNED = 5  # shards of 15 each equal hub holds

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
        procs[n] = subprocess.Popen(args, stdout=open(os.path.join(root, "hub-%s.log" % n), "w"), stderr=subprocess.STDOUT)
    try:
        ids = {n: aether("id", "--home", os.path.join(root, n)).strip() for n in names}
        deadline = time.time() + 120
        while not (ids["c"] in trusted(root, "a") and ids["a"] in trusted(root, "c")):
            if time.time() > deadline:
                raise SystemExit("A and C never came to trust each other")
            time.sleep(0.5)
        time.sleep(5)  # a few rounds: everyone online in everyone's plan
        data = os.path.join(root, "file.bin")
        with open(data, "wb") as f:
            block = os.urandom(1 << 20)
            for i in range(size_mib):
                f.write(block[:-8] + i.to_bytes(8, "big"))
        before = rss_kib(procs["b"].pid, "VmRSS")
        aether("put", data, "--home", os.path.join(root, "a"))
        os.remove(data)
        start = time.time()
        deadline = start + 600
        while len(shard_files(os.path.join(root, "c"))) < PLANNED:
            if time.time() > deadline:
                raise SystemExit("C never got its planned shards")
            time.sleep(0.05)
        elapsed = time.time() - start
        held = sum(os.path.getsize(f) for f in shard_files(os.path.join(root, "c")))
        peak = rss_kib(procs["b"].pid, "VmHWM")
        return held, elapsed, before, peak
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
            root = tempfile.mkdtemp(prefix="aesy-relay-")
            try:
                held, secs, before, peak = kit(root, size, relayed, base)
                rows.append((size, "relayed A-B-C" if relayed else "direct A-C", held, secs, before, peak))
            finally:
                shutil.rmtree(root, ignore_errors=True)
    print("| file MiB | path | C's planned bytes | seconds | MiB/s | B RSS before put (MiB) | B peak RSS (MiB) | relay buffer |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for size, path, held, secs, before, peak in rows:
        print("| %d | %s | %d | %.2f | %.1f | %.0f | %.0f | %s |" % (size, path, held, secs, held / secs / 2**20, before / 1024, peak / 1024, RELAY))
    for size in SIZES:
        d = [r for r in rows if r[0] == size and r[1].startswith("direct")][0]
        r = [r for r in rows if r[0] == size and r[1].startswith("relayed")][0]
        print("size %d MiB: relayed/direct throughput = %.2fx" % (size, (r[2] / r[3]) / (d[2] / d[3])))

if __name__ == "__main__":
    main()
