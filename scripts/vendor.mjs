// Copy the console's pinned front-end packages (node_modules, from `npm ci`) into the folder
// the node serves, and turn Natural Earth's TopoJSON into GeoJSON Leaflet can draw.
// Run by scripts/setup; the output folder is not committed.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "src", "hotline", "console", "static", "vendor");
mkdirSync(join(out, "images"), { recursive: true });

const copies = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["leaflet/dist/leaflet.js", "leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet.css"],
];
for (const [from, to] of copies) copyFileSync(join(modules, from), join(out, to));
for (const image of readdirSync(join(modules, "leaflet/dist/images"))) {
  copyFileSync(join(modules, "leaflet/dist/images", image), join(out, "images", image));
}

// world-atlas stitches polygons across the antimeridian (right for a globe, wrong for a flat
// map: Chukotka and Fiji would smear across the whole map). Unwrap each ring so consecutive
// points never jump by more than 180 degrees of longitude: such rings run on past 180 E, where
// Leaflet draws them next to their neighbours. A ring around a pole cannot be unwrapped (it
// would not close), so it is kept as it is.
function unwrap(ring) {
  const fixed = [ring[0].slice()];
  for (let i = 1; i < ring.length; i++) {
    const [lon, lat] = ring[i];
    const previous = fixed[i - 1][0];
    let shifted = lon;
    while (shifted - previous > 180) shifted -= 360;
    while (shifted - previous < -180) shifted += 360;
    fixed.push([shifted, lat]);
  }
  const closes = Math.abs(fixed[0][0] - fixed[fixed.length - 1][0]) < 1e-9;
  if (!closes) return ring;
  const west = Math.min(...fixed.map((p) => p[0]));
  const shift = west < -180 ? 360 : 0; // keep rings east of the antimeridian, beside Asia
  return fixed.map(([lon, lat]) => [round(lon + shift), round(lat)]);
}
const round = (x) => Math.round(x * 1e4) / 1e4;

function fixGeometry(geometry) {
  if (geometry === null) return null;
  if (geometry.type === "Polygon") return { ...geometry, coordinates: geometry.coordinates.map(unwrap) };
  if (geometry.type === "MultiPolygon") {
    return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(unwrap)) };
  }
  return geometry;
}

const topology = JSON.parse(readFileSync(join(modules, "world-atlas/countries-50m.json"), "utf8"));
const countries = feature(topology, topology.objects.countries);
countries.features = countries.features.map((f) => ({ ...f, geometry: fixGeometry(f.geometry) }));
writeFileSync(join(out, "countries-50m.geojson"), JSON.stringify(countries));
console.log(`vendor: ${countries.features.length} countries and the scripts in ${out}`);
