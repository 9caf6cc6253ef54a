// The map: Natural Earth countries (served by this node), notified volumes with their time
// windows, tracks and alerts from /api/v1/map; layers toggle; coordinates in decimal and DMS on
// hover, and in all three forms (with MGRS, from the node) on click. No tile server.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const names = JSON.parse(el.dataset.names);
  const map = L.map(el, { worldCopyJump: false, preferCanvas: true }).setView([44.5, 33], 5);
  // Attribution as plain text: a link would be a reference to outside the node.
  map.attributionControl.setPrefix("Leaflet 1.9 · Natural Earth (public domain)");
  const PARTY_COLOURS = ["#1f5fbf", "#c0392b", "#2e8b57", "#8e44ad", "#d35400"];
  const partyColour = {};
  const colour = (party) => (partyColour[party] ||= PARTY_COLOURS[Object.keys(partyColour).length % PARTY_COLOURS.length]);

  const basemap = L.geoJSON(null, {
    style: { color: "#7a7a7a", weight: 0.7, fillColor: "#f2efe6", fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
  const volumes = L.featureGroup().addTo(map);
  const tracks = L.featureGroup().addTo(map);
  const alerts = L.featureGroup().addTo(map);
  const overlays = {};
  overlays[names.basemap] = basemap; overlays[names.volumes] = volumes;
  overlays[names.tracks] = tracks; overlays[names.alerts] = alerts;
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  L.control.scale({ imperial: true }).addTo(map);

  fetch(el.dataset.basemap).then((r) => r.json()).then((data) => basemap.addData(data).bringToBack());

  const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  function describe(v) {
    const p = v.feature.properties;
    const band = `${p.alt_lower_ft ?? "SFC"}–${p.alt_upper_ft ?? "UNL"} ft`;
    const mark = v.mark !== "REAL" ? `<b class="mark">${esc(v.mark)}</b><br>` : "";
    return `${mark}<b>${esc(p.id)}</b> ${esc(v.prec)} (${esc(p.party)})<br>${esc(p.name)}<br>${band}<br>${esc(p.start ?? "…")} → ${esc(p.end ?? "…")}`;
  }
  // A corridor's outline: the centre line offset by its half width on both sides, in a local
  // flat frame at each vertex (good to well under 1 % at corridor widths of tens of km).
  function corridor(coords, halfWidthM) {
    const M_PER_DEG = 111320;
    const left = [], right = [];
    coords.forEach(([lon, lat], i) => {
      const [lon0, lat0] = coords[Math.max(i - 1, 0)], [lon1, lat1] = coords[Math.min(i + 1, coords.length - 1)];
      const k = Math.cos((lat * Math.PI) / 180);
      const dx = (lon1 - lon0) * k, dy = lat1 - lat0, len = Math.hypot(dx, dy) || 1;
      const nx = -dy / len, ny = dx / len; // unit normal, in metres east / north
      const dLat = (ny * halfWidthM) / M_PER_DEG, dLon = (nx * halfWidthM) / (M_PER_DEG * k);
      left.push([lat + dLat, lon + dLon]);
      right.push([lat - dLat, lon - dLon]);
    });
    return left.concat(right.reverse());
  }
  function drawVolume(v) {
    const g = v.feature.geometry, p = v.feature.properties;
    const style = { color: colour(p.party), weight: 2, fillOpacity: 0.15, dashArray: v.mark === "REAL" ? null : "6 4" };
    const latlng = ([lon, lat]) => [lat, lon];
    let layer;
    if (g.type === "Point") layer = L.circle(latlng(g.coordinates), { ...style, radius: p.radius_m || 500 });
    else if (g.type === "LineString") {
      layer = L.featureGroup([
        L.polygon(corridor(g.coordinates, p.half_width_m || 0), style),
        L.polyline(g.coordinates.map(latlng), { ...style, weight: 1 }),
      ]);
    } else layer = L.polygon(g.coordinates.map((ring) => ring.map(latlng)), style);
    layer.bindPopup(describe(v));
    layer.bindTooltip(`${p.id} ${p.name}`);
    layer.feature_id = p.id;
    volumes.addLayer(layer);
  }
  function load() {
    fetch(el.dataset.layers, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
      volumes.clearLayers(); tracks.clearLayers(); alerts.clearLayers();
      data.volumes.forEach(drawVolume);
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

  function dms(value, pos, neg) {
    const tenths = Math.round(Math.abs(value) * 36000);
    const d = Math.floor(tenths / 36000), m = Math.floor((tenths % 36000) / 600), s = (tenths % 600) / 10;
    return `${d}°${String(m).padStart(2, "0")}′${s.toFixed(1).padStart(4, "0")}″ ${value >= 0 ? pos : neg}`;
  }
  const hover = document.getElementById("coords-hover");
  map.on("mousemove", (e) => {
    const { lat, lng } = e.latlng;
    hover.textContent = `${lat.toFixed(5)}, ${lng.toFixed(5)} | ${dms(lat, "N", "S")} ${dms(lng, "E", "W")}`;
  });
  map.on("click", (e) => {
    const lon = ((e.latlng.lng + 540) % 360) - 180;
    fetch(`/api/v1/coords?lon=${lon}&lat=${e.latlng.lat}`, { credentials: "same-origin" })
      .then((r) => r.json()).then((c) => {
        document.getElementById("coords-click").textContent = `${c.decimal} | ${c.dms} | MGRS ${c.mgrs}`;
      });
  });
})();
