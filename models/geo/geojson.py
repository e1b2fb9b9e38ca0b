"""Deterministic GeoJSON: fixed 6-decimal coordinates, one feature per line.

The committed data must be byte-for-byte reproducible and reviewable in a diff, so every
writer goes through here. 1e-6° is ~0.1 m in Chongqing, far below the sources' accuracy.
"""

import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

COORDINATE_DIGITS = 6


def _round_ring(ring) -> list[list[float]]:
    """Round a ring and drop vertices that became exact repeats of their predecessor."""
    rounded: list[list[float]] = []
    for x, y, *_ in ring:
        point = [round(x, COORDINATE_DIGITS), round(y, COORDINATE_DIGITS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def as_multipolygon(geometry) -> shapely.MultiPolygon:
    """Keep only the areal parts of a geometry, as one MultiPolygon (clipping can leave slivers of other types)."""
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [poly for part in parts for poly in shapely.get_parts(part)]
    return shapely.MultiPolygon(polygons)


def multipolygon_coordinates(geometry) -> list:
    """GeoJSON coordinates of a MultiPolygon, rounded to the committed precision."""
    return [[_round_ring(ring) for ring in polygon] for polygon in mapping(as_multipolygon(geometry))["coordinates"]]


def rounded_multipolygon(geometry) -> shapely.MultiPolygon:
    """The geometry exactly as it will be committed; check `is_valid` on this, not on the input."""
    return shapely.MultiPolygon([(shell, holes) for shell, *holes in multipolygon_coordinates(geometry)])


def feature(properties: dict[str, Any], geometry) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "MultiPolygon", "coordinates": multipolygon_coordinates(geometry)},
    }


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_feature_collection(path: Path, features: list[dict[str, Any]]) -> None:
    body = ",\n".join(dumps(item) for item in features)
    path.write_text('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8")


def write_json_lines_array(path: Path, records: list[dict[str, Any]]) -> None:
    """A JSON array with one record per line, so a changed record is a one-line diff."""
    path.write_text("[\n" + ",\n".join(dumps(record) for record in records) + "\n]\n", encoding="utf-8")


def read_features(path: Path) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return [(item["properties"], shape(item["geometry"])) for item in collection["features"]]
