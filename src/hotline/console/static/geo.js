// Shared by the map page and the compose form's draw tool: the offline basemap, coordinates in
// decimal, DMS and MGRS, and a corridor's outline. No tile server, nothing from outside the node.
(function () {
  "use strict";
  const BASEMAP = "/console/static/vendor/countries-50m.geojson";
  let countries = null; // one fetch per page, however many maps

  function basemap(map) {
    const layer = L.geoJSON(null, {
      style: { color: "#7a7a7a", weight: 0.7, fillColor: "#f2efe6", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
    countries ||= fetch(BASEMAP).then((r) => r.json());
    countries.then((data) => layer.addData(data).bringToBack());
    // Attribution as plain text: a link would be a reference to outside the node.
    map.attributionControl.setPrefix("Leaflet 1.9 · Natural Earth (public domain)");
    return layer;
  }

  function dms(value, pos, neg) {
    const tenths = Math.round(Math.abs(value) * 36000);
    const d = Math.floor(tenths / 36000), m = Math.floor((tenths % 36000) / 600), s = (tenths % 600) / 10;
    return `${d}°${String(m).padStart(2, "0")}′${s.toFixed(1).padStart(4, "0")}″ ${value >= 0 ? pos : neg}`;
  }
  const wrapLon = (lng) => ((lng + 540) % 360) - 180;

  // Decimal and DMS under the pointer; all three forms (MGRS from the node) where clicked.
  function coordinates(map, hover, clicked) {
    map.on("mousemove", (e) => {
      const { lat, lng } = e.latlng;
      hover.textContent = `${lat.toFixed(5)}, ${wrapLon(lng).toFixed(5)} | ${dms(lat, "N", "S")} ${dms(wrapLon(lng), "E", "W")}`;
    });
    map.on("click", (e) => {
      fetch(`/api/v1/coords?lon=${wrapLon(e.latlng.lng)}&lat=${e.latlng.lat}`, { credentials: "same-origin" })
        .then((r) => r.json()).then((c) => { clicked.textContent = `${c.decimal} | ${c.dms} | MGRS ${c.mgrs}`; });
    });
  }

  // A corridor's outline ([lat, lon] pairs): the centre line ([lon, lat] pairs) offset by its
  // half width on both sides, in a local flat frame at each vertex (good to well under 1 % at
  // corridor widths of tens of km).
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

  window.HotlineGeo = { basemap, coordinates, corridor, dms, wrapLon };
})();
