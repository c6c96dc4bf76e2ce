"""Turn Natural Earth 110m country shapes (npm package world-atlas) into the interactive map's GeoJSON, once.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_basemap_geojson.py /tmp/package/countries-110m.json static/map/world-110m.geojson

The same shapes as the server-drawn SVG (scripts/build_basemap.py), as a FeatureCollection of country
polygons in longitude and latitude, rounded to 0.01° (about 1 km, far below what 1:110m can tell apart).
Leaflet draws them as the basemap: no tiles, nothing from another host.
"""

import json
import sys
from pathlib import Path

from build_basemap import DROP, decode_arcs, ring, unwrap

ATTRIBUTION = (
    "Country shapes: Natural Earth 1:110m (public domain), via world-atlas 2.0.2 (ISC licence, "
    "Copyright 2013-2019 Michael Bostock). Built by scripts/build_basemap_geojson.py."
)


def copies(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring kept continuous across the antimeridian (Fiji, Chukotka), and drawn again from the other edge
    when it spills over one: Leaflet joins the points as given, so a jump from 179° to -179° would be a
    stripe across the world."""
    ring_xy = [(x - 180, 90 - y) for x, y in unwrap(points)]
    out = [ring_xy]
    if min(lon for lon, _ in ring_xy) < -180:
        out.append([(lon + 360, lat) for lon, lat in ring_xy])
    if max(lon for lon, _ in ring_xy) > 180:
        out.append([(lon - 360, lat) for lon, lat in ring_xy])
    return out


def rounded(points: list[tuple[float, float]]) -> list[list[float]]:
    """A ring in GeoJSON order ([longitude, latitude]), rounded, repeated points dropped, closed."""
    out: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, 2), round(lat, 2)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def build(topology: dict) -> dict:
    """A GeoJSON FeatureCollection with one MultiPolygon per country; `properties.name` is its English name."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in DROP:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes = []
        for polygon in polygons:
            outer, *holes = [copies(ring(arcs, r)) for r in polygon]
            for i, shell in enumerate(outer):
                # A hole goes with the copy of its shell drawn on the same side.
                rings = [rounded(shell)] + [rounded(hole[i]) for hole in holes if len(hole) > i]
                rings = [r for r in rings if len(r) >= 4]
                if rings:
                    shapes.append(rings)
        if shapes:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": geometry.get("properties", {}).get("name", "")},
                    "geometry": {"type": "MultiPolygon", "coordinates": shapes},
                }
            )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    collection = build(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"Wrote {target} ({target.stat().st_size:,} bytes)")
