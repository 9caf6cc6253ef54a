// The compose form's draw-on-map tool: for a geometry of the form (point, area, circle, corridor) a
// Leaflet map on the offline basemap where the operator draws the shape; the drawn shape fills
// the form's inputs in the catalogue's format (lon before lat), and typed inputs redraw it.
// Corners and circle points can be dragged. The form is re-rendered by htmx after each check:
// open panels are opened again with the shape read back from the inputs.
(function () {
  "use strict";
  const G = window.HotlineGeo;
  const M_PER_NM = 1852, M_PER_KM = 1000;
  const round = (x) => Math.round(x * 1e5) / 1e5; // about 1 m
  const open = new Set(); // geometry paths whose panel is open, kept across re-renders
  const drawings = new WeakMap();

  const input = (box, name) => document.querySelector(`[name="f:${box.dataset.path}.${name}"]`);
  // The size input in whichever unit the form has (radius_nm or radius_km, ...).
  function sizeInput(box, stem) {
    for (const [unit, metres] of [["nm", M_PER_NM], ["km", M_PER_KM]]) {
      const found = input(box, `${stem}_${unit}`);
      if (found) return { el: found, metres };
    }
    return null;
  }
  function readJSON(el) {
    try { return JSON.parse(el.value); } catch (e) { return null; }
  }
  const isPosition = (p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite);
  const toLonLat = (ll) => [round(G.wrapLon(ll.lng)), round(ll.lat)];

  class Drawing {
    constructor(box) {
      this.box = box;
      this.shape = box.dataset.shape;
      this.points = []; // L.LatLng: polygon corners, corridor centre line, or [centre, edge]
      this.done = false;
      this.map = L.map(box.querySelector(".draw-map"), { doubleClickZoom: false }).setView([44.5, 33], 5);
      G.basemap(this.map);
      L.control.scale({ imperial: true }).addTo(this.map);
      this.layer = L.featureGroup().addTo(this.map); // the shape
      this.vertices = L.featureGroup().addTo(this.map); // its draggable points
      G.coordinates(this.map, box.querySelector(".draw-hover"), box.querySelector(".draw-click"));
      this.map.on("click", (e) => this.click(e.latlng));
      this.map.on("dblclick", () => this.finish());
      box.querySelector(".draw-finish").addEventListener("click", () => this.finish());
      box.querySelector(".draw-clear").addEventListener("click", () => this.clear());
      this.fromInputs(true);
    }

    click(latlng) {
      if (this.shape === "Point") { this.points = [latlng]; this.finish(); return; } // a click moves it
      if (this.done) return;
      const last = this.points[this.points.length - 1];
      if (last && last.equals(latlng)) return; // the second click of a double click
      this.points.push(latlng);
      this.typedRadiusM = null;
      if (this.shape === "Circle" && this.points.length === 2) this.finish();
      else this.render();
    }
    finish() {
      const needed = { Point: 1, Polygon: 3, Corridor: 2, Circle: 2 }[this.shape];
      if (this.points.length < needed) return;
      this.done = true;
      this.toInputs();
      this.render();
    }
    clear() {
      this.points = [];
      this.typedRadiusM = null;
      this.done = false;
      this.render();
    }

    // -- the form's inputs, both ways --
    toInputs() {
      const set = (el, value) => {
        if (!el) return;
        el.value = value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      };
      const pts = this.points.map(toLonLat);
      if (this.shape === "Point") set(input(this.box, "coordinates"), JSON.stringify(pts[0]));
      if (this.shape === "Polygon") set(input(this.box, "coordinates"), JSON.stringify([[...pts, pts[0]]]));
      if (this.shape === "Corridor") set(input(this.box, "coordinates"), JSON.stringify(pts));
      if (this.shape === "Circle") {
        set(input(this.box, "center"), JSON.stringify(pts[0]));
        const size = sizeInput(this.box, "radius");
        if (size) set(size.el, String(Math.round((this.radiusM() / size.metres) * 100) / 100));
      }
    }
    fromInputs(fit) {
      const latlng = ([lon, lat]) => L.latLng(lat, lon);
      let points = null;
      if (this.shape === "Point") {
        const position = readJSON(input(this.box, "coordinates"));
        if (isPosition(position)) points = [latlng(position)];
      } else if (this.shape === "Polygon") {
        const rings = readJSON(input(this.box, "coordinates"));
        const ring = Array.isArray(rings) && Array.isArray(rings[0]) ? rings[0] : null;
        if (ring && ring.length >= 4 && ring.every(isPosition)) points = ring.slice(0, -1).map(latlng);
      } else if (this.shape === "Corridor") {
        const line = readJSON(input(this.box, "coordinates"));
        if (Array.isArray(line) && line.length >= 2 && line.every(isPosition)) points = line.map(latlng);
      } else {
        const centre = readJSON(input(this.box, "center"));
        const size = sizeInput(this.box, "radius");
        const radiusM = size ? Number(size.el.value) * size.metres : NaN;
        if (isPosition(centre) && radiusM > 0) {
          const c = latlng(centre);
          points = [c, L.latLng(c.lat, c.lng + radiusM / (111320 * Math.cos((c.lat * Math.PI) / 180)))];
          this.typedRadiusM = radiusM; // exactly as typed, not as measured back on the map
        }
      }
      if (!points) return; // nothing drawable typed yet: keep what is on the map
      this.points = points;
      this.done = true;
      this.render();
      if (fit && this.layer.getLayers().length) this.map.fitBounds(this.layer.getBounds(), { padding: [30, 30], maxZoom: 9 });
    }

    radiusM() {
      if (this.typedRadiusM) return this.typedRadiusM;
      return this.points.length === 2 ? this.map.distance(this.points[0], this.points[1]) : 0;
    }
    halfWidthM() {
      const size = sizeInput(this.box, "half_width");
      const value = size ? Number(size.el.value) * size.metres : NaN;
      return value > 0 ? value : 0;
    }

    // -- what the map shows --
    render() {
      this.renderShapeOnly();
      this.vertices.clearLayers();
      this.points.forEach((p, i) => {
        const icon = L.divIcon({ className: "draw-vertex", iconSize: [12, 12] });
        const vertex = L.marker(p, { icon, draggable: true, keyboard: false }).addTo(this.vertices);
        vertex.on("drag", (e) => { this.points[i] = e.target.getLatLng(); this.typedRadiusM = null; this.renderShapeOnly(); });
        vertex.on("dragend", () => { if (this.done) this.toInputs(); this.render(); });
      });
    }
    renderShapeOnly() {
      this.layer.clearLayers();
      const style = { color: "#c00018", weight: 2, fillOpacity: 0.15 };
      const pts = this.points;
      if (this.shape === "Point" && pts.length) {
        L.circleMarker(pts[0], { ...style, radius: 8 }).addTo(this.layer);
      } else if (this.shape === "Circle" && pts.length) {
        if (pts.length === 2) {
          L.circle(pts[0], { ...style, radius: this.radiusM() }).addTo(this.layer);
          L.polyline(pts, { ...style, dashArray: "4 4", weight: 1 }).addTo(this.layer);
        }
      } else if (this.shape === "Polygon" && pts.length) {
        (this.done ? L.polygon(pts, style) : L.polyline(pts, style)).addTo(this.layer);
      } else if (this.shape === "Corridor" && pts.length) {
        const line = pts.map((p) => [p.lng, p.lat]);
        if (pts.length > 1 && this.halfWidthM()) L.polygon(G.corridor(line, this.halfWidthM()), style).addTo(this.layer);
        L.polyline(pts, { ...style, weight: 3 }).addTo(this.layer);
      }
      this.showSize();
    }
    showSize() {
      const out = this.box.querySelector(".draw-size");
      const t = this.box.dataset;
      const both = (m) => `${(m / M_PER_NM).toFixed(2)} NM (${(m / M_PER_KM).toFixed(2)} km)`;
      let text = `${this.points.length} ×`;
      if (this.shape === "Circle" && this.points.length === 2) text = `${t.radius} ${both(this.radiusM())}`;
      if (this.shape === "Corridor") text += ` · ${t.halfWidth} ${both(this.halfWidthM())}`;
      out.textContent = text;
      this.box.dataset.points = String(this.points.length);
      this.box.dataset.done = String(this.done);
    }
  }

  function show(box, visible) {
    const panel = box.querySelector(".draw-panel");
    panel.hidden = !visible;
    box.querySelector(".draw-toggle").setAttribute("aria-expanded", String(visible));
    if (visible) open.add(box.dataset.path); else open.delete(box.dataset.path);
    if (!visible) return;
    let drawing = drawings.get(box);
    if (!drawing) { drawing = new Drawing(box); drawings.set(box, drawing); }
    drawing.map.invalidateSize();
  }

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest(".draw-toggle");
    if (toggle) {
      const box = toggle.closest(".draw");
      show(box, box.querySelector(".draw-panel").hidden);
    }
  });
  // Typed coordinates, radius or width redraw the shape of their geometry.
  document.addEventListener("input", (event) => {
    const name = event.target.name || "";
    document.querySelectorAll(".draw").forEach((box) => {
      const drawing = drawings.get(box);
      if (drawing && name.startsWith(`f:${box.dataset.path}.`)) drawing.fromInputs(false);
    });
  });
  // After htmx re-renders the form, reopen the panels that were open.
  document.body.addEventListener("htmx:afterSwap", () => {
    const wanted = new Set(open);
    open.clear();
    document.querySelectorAll(".draw").forEach((box) => { if (wanted.has(box.dataset.path)) show(box, true); });
  });
})();
