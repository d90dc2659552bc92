// The kit dashboard: polls /api/kit, renders devices, files and the storage settings, and sends
// allocation changes with the secret from the URL fragment (#k=...). No libraries, no inline script.
"use strict";
(function () {
  const PollMs = 2000;
  const state = { secret: null, last: null, version: null, filter: "", sections: {}, editing: false, timings: { loadMs: null, lastRenderMs: null, renders: 0 } };
  window.aetherDashboard = state.timings;

  // The secret travels in the fragment (never sent to a server); keep it for this tab and drop it from the address bar.
  (function takeSecret() {
    const m = /(?:^#|&)k=([0-9a-f]{64})(?:&|$)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem("aether-secret", m[1]);
      history.replaceState(null, "", location.pathname + location.search);
    }
    state.secret = sessionStorage.getItem("aether-secret");
  })();

  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  function size(bytes) {
    if (bytes === null || bytes === undefined) return "–";
    const names = ["B", "KB", "MB", "GB", "TB"];
    let v = bytes, i = 0;
    while (Math.abs(v) >= 1000 && i < names.length - 1) { v /= 1000; i++; }
    return i === 0 ? bytes + " B" : (v >= 100 ? v.toFixed(0) : (Math.round(v * 10) / 10).toString()) + " " + names[i];
  }

  function ago(seconds) {
    if (seconds === null || seconds === undefined) return "never";
    if (seconds < 5) return "just now";
    if (seconds < 90) return Math.round(seconds) + " s ago";
    if (seconds < 5400) return Math.round(seconds / 60) + " min ago";
    if (seconds < 172800) return Math.round(seconds / 3600) + " h ago";
    return Math.round(seconds / 86400) + " days ago";
  }

  function when(iso, now) {
    if (!iso) return "never";
    return ago((now - Date.parse(iso)) / 1000);
  }

  function device(d, now) {
    const status = d.online ? '<span class="badge online">online</span>' : '<span class="badge offline">offline</span>';
    const rows = [
      ["Kind", d.kind],
      ["Reachable by", d.transports.length ? d.transports.join(", ") : "–"],
      ["Seen", d.self ? "this device" : ago(d.lastSeenSecondsAgo)],
      ["Battery", d.battery === null ? "unknown" : d.battery],
      ["Power", d.power === null ? "unknown" : d.power],
      ["Storage", d.allocationBytes === null ? "unknown" : size(d.usedBytes) + " used of " + size(d.allocationBytes) + " (" + size(d.availableBytes) + " free)"],
      ["Shards held", d.shardsHeld === null ? "unknown" : d.shardsHeld],
      ["Last sync", when(d.lastSyncUtc, now)],
    ];
    if (d.self) rows.push(["Last skip", d.lastSkip || "none"]);
    return '<article class="card" data-device="' + esc(d.id) + '"><h3><span>' + esc(d.name) + (d.self ? " (this hub)" : "") + "</span>" + status +
      '</h3><dl>' + rows.map((r) => "<dt>" + esc(r[0]) + "</dt><dd>" + esc(r[1]) + "</dd>").join("") +
      '<dt>ID</dt><dd class="muted">' + esc(d.id) + "</dd></dl></article>";
  }

  // A BLE node heard advertising (beacon, or a phone/laptop/hub met over BLE): what its advertisement says.
  function beacon(b) {
    const status = b.connected ? '<span class="badge online">connected</span>' : '<span class="badge offline">heard</span>';
    const rows = [
      ["Kind", b.kind],
      ["Reachable by", b.transport + ", " + b.hops + " hop" + (b.hops === 1 ? "" : "s") + (b.rssi === null ? "" : " (" + b.rssi + " dBm)")],
      ["Seen", ago(b.lastSeenSecondsAgo)],
      ["Battery", b.battery],
      ["Power", b.power + (b.acceptsBulk ? "" : " · not relaying shards (low battery)")],
      ["Cache allocation", size(b.allocationBytes)],
    ];
    return '<article class="card" data-beacon="' + esc(b.nodeId) + '"><h3><span>' + esc(b.name || ("node " + b.nodeId)) + "</span>" + status +
      '</h3><dl>' + rows.map((r) => "<dt>" + esc(r[0]) + "</dt><dd>" + esc(r[1]) + "</dd>").join("") +
      '<dt>Node</dt><dd class="muted">' + esc(b.nodeId + " · " + b.address) + "</dd></dl></article>";
  }

  function protection(f) {
    let text;
    if (f.state === "unreadable") text = "UNREADABLE now: " + f.available + " of " + f.dataShards + " needed shards reachable";
    else if (f.survivesLosses === 0) text = "AT RISK: losing 1 device can lose it";
    else text = "survives the loss of " + f.survivesLosses + " device" + (f.survivesLosses === 1 ? "" : "s");
    if (f.state === "checking") text += " (waiting for peers' inventories)";
    text += " · " + f.placed + "/" + f.planned + " shards placed as planned" + (f.planned < f.totalShards ? " (the plan places " + f.planned + " of " + f.totalShards + ")" : "");
    if (f.repairing) text += " · repair in progress";
    return text;
  }

  function fileRow(f, now) {
    const cls = f.state === "unreadable" ? "lost" : (f.state === "at risk" ? "risk" : "");
    return '<tr class="' + cls + '" data-file="' + esc(f.id) + '" data-state="' + esc(f.state) + '"><td class="name">' + esc(f.name) +
      '</td><td class="num">' + esc(size(f.bytes)) + '</td><td class="num">' + esc(when(f.createdUtc, now)) +
      '</td><td class="' + esc(f.state.replace(" ", "-")) + '">' + esc(protection(f)) + "</td></tr>";
  }

  // Re-renders a section only when its data changed (a poll with nothing new costs a string compare).
  function section(key, data, render) {
    const sig = JSON.stringify(data);
    if (state.sections[key] === sig) return;
    state.sections[key] = sig;
    render();
  }

  function renderSettings(s) {
    $("s-device").textContent = s.deviceName + " (" + s.kind + ")";
    $("s-capacity").textContent = size(s.totalCapacityBytes) + " (" + size(s.freeCapacityBytes) + " available)";
    $("s-usage").textContent = size(s.usedBytes) + " (" + s.utilizationPercent + " % full)";
    $("s-recommended").textContent = size(s.recommendedBytes) + " (based on your usage)";
    $("s-allocated").textContent = "Allocated: " + size(s.allocationBytes) + " / " + size(s.maxBytes) + " max";
    $("s-allocated").dataset.bytes = s.allocationBytes;
    $("s-bar").style.width = Math.min(100, s.maxBytes > 0 ? (s.allocationBytes * 100 / s.maxBytes) : 0) + "%";
    const warn = $("s-warning");
    warn.hidden = s.utilizationPercent < 80;
    warn.textContent = "You're using " + s.utilizationPercent + " % of allocated storage. Consider allocating more or inviting trusted devices.";
    $("alloc-range").textContent = "Allowed for a " + s.kind + " on this disk: " + size(s.minBytes) + " to " + size(s.maxBytes) + ".";
    const slider = $("alloc-slider");
    slider.min = s.minBytes; slider.max = Math.max(s.minBytes, s.maxBytes); slider.step = Math.max(1, Math.round((s.maxBytes - s.minBytes) / 1000));
    if (!state.editing) {
      slider.value = s.allocationBytes;
      $("alloc-input").value = size(s.allocationBytes);
    }
  }

  function renderFiles(files, now) {
    const f = state.filter;
    const shown = f ? files.filter((x) => x.name.toLowerCase().includes(f)) : files;
    $("files").tBodies[0].innerHTML = shown.map((x) => fileRow(x, now)).join("");
    const risk = files.filter((x) => x.state === "at risk").length, lost = files.filter((x) => x.state === "unreadable").length;
    $("files-summary").textContent = files.length + " files" + (risk ? ", " + risk + " at risk" : "") + (lost ? ", " + lost + " unreadable now" : "") + (f ? " (" + shown.length + " shown)" : "");
  }

  function render(kit) {
    const t0 = performance.now();
    const now = Date.parse(kit.generatedUtc);
    const online = kit.devices.filter((d) => d.online).length;
    $("summary").textContent = online + " of " + kit.devices.length + " devices online · " + kit.files.length + " files";
    section("devices", kit.devices, () => { $("devices").innerHTML = kit.devices.map((d) => device(d, now)).join(""); });
    const beacons = kit.beacons || [];
    section("beacons", beacons, () => {
      $("beacons-section").hidden = beacons.length === 0;
      $("beacons").innerHTML = beacons.map(beacon).join("");
    });
    section("settings", kit.settings, () => renderSettings(kit.settings));
    section("files", [kit.files, state.filter], () => renderFiles(kit.files, now));
    $("updated").textContent = "Updated " + new Date(now).toLocaleTimeString() + " · live every " + PollMs / 1000 + " s";
    document.body.dataset.version = kit.version;
    state.timings.lastRenderMs = performance.now() - t0;
    state.timings.renders++;
  }

  async function poll() {
    try {
      const r = await fetch("/api/kit", { cache: "no-store" });
      if (r.ok) {
        state.last = await r.json();
        render(state.last);
        if (state.timings.loadMs === null) state.timings.loadMs = performance.now();
      } else {
        $("summary").textContent = "The hub answered " + r.status + "; retrying.";
      }
    } catch (e) {
      $("summary").textContent = "The hub is not answering; retrying.";
    }
    setTimeout(poll, PollMs);
  }

  async function save(ev) {
    ev.preventDefault();
    const msg = $("alloc-msg");
    msg.className = ""; msg.textContent = "Saving…";
    $("alloc-save").disabled = true;
    try {
      const r = await fetch("/api/allocation", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Aether-Secret": state.secret || "" },
        body: JSON.stringify({ allocation: $("alloc-input").value }),
      });
      const body = await r.json();
      if (r.ok && body.saved) {
        msg.className = "saved"; msg.textContent = "Saved: " + size(body.allocationBytes) + ", in effect now.";
        state.editing = false;
        const k = await (await fetch("/api/kit", { cache: "no-store" })).json();
        state.last = k; render(k);
      } else {
        msg.className = "error"; msg.textContent = body.error || ("refused (" + r.status + ")");
      }
    } catch (e) {
      msg.className = "error"; msg.textContent = "The hub is not answering.";
    }
    $("alloc-save").disabled = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!state.secret) { $("no-secret").hidden = false; $("alloc-save").disabled = true; }
    $("alloc-form").addEventListener("submit", save);
    $("alloc-slider").addEventListener("input", (e) => { state.editing = true; $("alloc-input").value = size(Number(e.target.value)); });
    $("alloc-input").addEventListener("input", () => { state.editing = true; });
    $("files-filter").addEventListener("input", (e) => {
      state.filter = e.target.value.trim().toLowerCase();
      if (state.last) render(state.last);
    });
    poll();
  });
})();
