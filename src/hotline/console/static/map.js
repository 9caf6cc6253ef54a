// The map: Natural Earth countries (served by this node), notified volumes with their time
// windows, tracks and alerts from /api/v1/map; layers toggle; coordinates in decimal and DMS on
// hover, and in all three forms (with MGRS, from the node) on click. No tile server.
// A time slider shows the volumes active at a chosen time; "Now" returns to live. Tracks and
// alerts are always live.
(function () {
  "use strict";
  const G = window.HotlineGeo;
  const el = document.getElementById("map");
  const names = JSON.parse(el.dataset.names);
  const map = L.map(el, { worldCopyJump: false, preferCanvas: true }).setView([44.5, 33], 5);
  const PARTY_COLOURS = ["#1f5fbf", "#c0392b", "#2e8b57", "#8e44ad", "#d35400"];
  const partyColour = {};
  const colour = (party) => (partyColour[party] ||= PARTY_COLOURS[Object.keys(partyColour).length % PARTY_COLOURS.length]);
  // Server time minus browser time: "now" is the node's clock, not the laptop's.
  const offsetMs = Number(document.body.dataset.nowMs || Date.now()) - Date.now();
  const now = () => Date.now() + offsetMs;

  const basemap = G.basemap(map);
  const volumes = L.featureGroup().addTo(map);
  const tracks = L.featureGroup().addTo(map);
  const alerts = L.featureGroup().addTo(map);
  const overlays = {};
  overlays[names.basemap] = basemap; overlays[names.volumes] = volumes;
  overlays[names.tracks] = tracks; overlays[names.alerts] = alerts;
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  L.control.scale({ imperial: true }).addTo(map);

  const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  function describe(v) {
    const p = v.feature.properties;
    const band = `${p.alt_lower_ft ?? "SFC"}–${p.alt_upper_ft ?? "UNL"} ft`;
    const mark = v.mark !== "REAL" ? `<b class="mark">${esc(v.mark)}</b><br>` : "";
    return `${mark}<b>${esc(p.id)}</b> ${esc(v.prec)} (${esc(p.party)})<br>${esc(p.name)}<br>${band}<br>${esc(p.start ?? "…")} → ${esc(p.end ?? "…")}`;
  }
  function drawVolume(v) {
    const g = v.feature.geometry, p = v.feature.properties;
    const style = { color: colour(p.party), weight: 2, fillOpacity: 0.15, dashArray: v.mark === "REAL" ? null : "6 4" };
    const latlng = ([lon, lat]) => [lat, lon];
    let layer;
    if (g.type === "Point") layer = L.circle(latlng(g.coordinates), { ...style, radius: p.radius_m || 500 });
    else if (g.type === "LineString") {
      layer = L.featureGroup([
        L.polygon(G.corridor(g.coordinates, p.half_width_m || 0), style),
        L.polyline(g.coordinates.map(latlng), { ...style, weight: 1 }),
      ]);
    } else layer = L.polygon(g.coordinates.map((ring) => ring.map(latlng)), style);
    layer.bindPopup(describe(v));
    layer.bindTooltip(`${p.id} ${p.name}`);
    layer.feature_id = p.id;
    volumes.addLayer(layer);
  }

  // -- time slider: whole minutes since the epoch, in 15-minute steps --------------------------
  const STEP_MIN = 15, BEFORE_MIN = 6 * 60, AFTER_MIN = 48 * 60, LONGEST_MIN = 14 * 24 * 60;
  const slider = document.getElementById("time-slider");
  const shownLabel = document.getElementById("time-shown");
  const nowButton = document.getElementById("time-now");
  let live = true;
  let notified = [];
  const parse = (iso) => (iso ? Date.parse(iso) : null);
  const chosenMs = () => (live ? now() : Number(slider.value) * 60000);
  const active = (v, t) => {
    const start = parse(v.feature.properties.start), end = parse(v.feature.properties.end);
    return (start === null || start <= t) && (end === null || t < end);
  };
  const stamp = (ms) => new Date(ms).toISOString().slice(0, 16).replace("T", " ") + "Z";

  function span() {
    // From 6 h ago to the last notified end (at least 48 h ahead, at most 14 days).
    const nowMin = Math.floor(now() / 60000 / STEP_MIN) * STEP_MIN;
    const ends = notified.map((v) => parse(v.feature.properties.end)).filter((e) => e !== null);
    const last = Math.ceil(Math.max(0, ...ends) / 60000);
    slider.min = String(nowMin - BEFORE_MIN);
    slider.max = String(Math.min(Math.max(nowMin + AFTER_MIN, last), nowMin + LONGEST_MIN));
  }
  function showVolumes() {
    const t = chosenMs();
    if (live) slider.value = String(Math.floor(t / 60000));
    volumes.clearLayers();
    const shown = notified.filter((v) => active(v, t));
    shown.forEach(drawVolume);
    el.dataset.shown = shown.map((v) => v.feature.properties.id).join(" ");
    const text = `${stamp(t)}${live ? ` (${names.live})` : ""}`;
    shownLabel.textContent = `${text} · ${shown.length}/${notified.length} ${names.shown}`;
    slider.setAttribute("aria-valuetext", text);
    nowButton.setAttribute("aria-pressed", String(live));
  }
  slider.addEventListener("input", () => { live = false; showVolumes(); });
  nowButton.addEventListener("click", () => { live = true; span(); showVolumes(); });

  function load() {
    fetch(el.dataset.layers, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
      tracks.clearLayers(); alerts.clearLayers();
      notified = data.volumes;
      span();
      showVolumes();
      data.tracks.forEach((t) => {
        L.circleMarker([t.coordinates[1], t.coordinates[0]], { radius: 5, color: colour(t.party) })
          .bindTooltip(`${esc(t.label)} ${t.alt_ft ?? ""}`, { permanent: true, direction: "right" }).addTo(tracks);
      });
      data.alerts.forEach((a) => {
        const pts = a.coordinates.map(([lon, lat]) => [lat, lon]);
        const text = esc((a.mark && a.mark !== "REAL" ? `${a.mark} ` : "") + a.text);
        L.polyline(pts, { color: "#c00018", weight: 3, dashArray: "2 6" }).bindPopup(text).addTo(alerts);
        pts.forEach((pt) => L.circleMarker(pt, { radius: 7, color: "#c00018" }).bindPopup(text).addTo(alerts));
      });
      // The alerts as a list too, each with its kind and marking (EXERCISE is never hidden).
      const list = document.getElementById("alert-list");
      if (list) list.innerHTML = data.alerts.map((a) =>
        `<li class="alert-item alert-${esc(a.kind)} mark-${esc(a.mark)}"><b>${esc(a.mark !== "REAL" ? a.mark + " " : "")}${esc(a.kind)}</b> ${esc(a.text)}</li>`).join("");
      el.dataset.alerts = data.alerts.map((a) => a.kind).join(" ");
      el.dataset.volumes = String(data.volumes.length);
      el.dispatchEvent(new Event("hotline-map-loaded"));
    });
  }
  load();
  setInterval(load, 15000);
  document.body.addEventListener("hotline-refresh", load); // a new message (a cancellation) redraws at once
  setInterval(() => { if (live) showVolumes(); }, 60000); // live volumes follow the clock

  G.coordinates(map, document.getElementById("coords-hover"), document.getElementById("coords-click"));
})();
