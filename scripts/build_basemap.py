"""Turn Natural Earth 110m country shapes (npm package world-atlas) into the map's static SVG, once.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_basemap.py /tmp/package/countries-110m.json static/map/world-110m.svg

The output is in the map's own coordinates (equirectangular: x = longitude + 180, y = 90 - latitude),
so the page draws markers with the same arithmetic (network/places/maps.py) and needs no projection library.
"""

import json
import sys
from html import escape
from pathlib import Path

DROP = {"010"}  # Antarctica: outside the map's crop, and it would only smear along the bottom edge.

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<!-- Country shapes: Natural Earth 1:110m (public domain), via world-atlas 2.0.2 (ISC licence,
     Copyright 2013-2019 Michael Bostock). Built by scripts/build_basemap.py; equirectangular,
     x = longitude + 180, y = 90 - latitude. Colours come from the page's stylesheet. -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180">
<g id="world">
"""


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Undo TopoJSON's quantisation and delta encoding: arcs of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return points


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Map coordinates of a ring, kept continuous where it crosses the antimeridian (Fiji, Chukotka)."""
    out: list[tuple[float, float]] = []
    offset = 0.0
    for lon, lat in points:
        x = lon + 180 + offset
        if out and x - out[-1][0] > 180:
            offset, x = offset - 360, x - 360
        elif out and out[-1][0] - x > 180:
            offset, x = offset + 360, x + 360
        out.append((x, 90 - lat))
    return out


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for points in rings:
        ring_xy = unwrap(points)
        copies = [ring_xy]
        # A ring that spills over one edge is drawn again from the other; the view box clips both.
        if min(x for x, _ in ring_xy) < 0:
            copies.append([(x + 360, y) for x, y in ring_xy])
        if max(x for x, _ in ring_xy) > 360:
            copies.append([(x - 360, y) for x, y in ring_xy])
        for copy in copies:
            projected = []
            for x, y in copy:
                xy = f"{x:.1f} {y:.1f}".replace(".0 ", " ").removesuffix(".0")
                if not projected or projected[-1] != xy:
                    projected.append(xy)
            if len(projected) >= 3:
                parts.append("M" + " ".join(projected) + "Z")
    return "".join(parts)


def build(topology: dict) -> str:
    arcs = decode_arcs(topology)
    lines = [HEADER]
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in DROP:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(arcs, r) for polygon in polygons for r in polygon]
        name = escape(geometry.get("properties", {}).get("name", ""))
        d = path_data(rings)
        if d:
            lines.append(f'<path data-name="{name}" vector-effect="non-scaling-stroke" d="{d}"/>\n')
    lines.append("</g>\n</svg>\n")
    return "".join(lines)


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_text(build(json.loads(source.read_text(encoding="utf-8"))), encoding="utf-8")
    print(f"Wrote {target} ({target.stat().st_size:,} bytes)")
