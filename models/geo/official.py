"""Official 镇街 street boundaries, imported by a city to replace the Voronoi approximation.

The import is all-or-nothing: every feature is checked (known street code, valid polygon,
inside its own district) before anything is written, so a half-good file never leaves
the overlay in a mixed state. Imported polygons are merged into the overlay by street
code; delete the overlay file to start over.
"""

import json
import os
from pathlib import Path

import shapely
from pydantic import BaseModel
from shapely.geometry import shape

from models.geo import geojson
from models.geo.crs import Crs, to_wgs84
from models.geo.directory import district_geometries, load_streets

DISTRICT_TOLERANCE_DEG = 0.002
"""~200 m: official lines and the AMap-derived district lines never agree exactly."""

_CRS_NAMES: dict[str, Crs] = {
    "wgs84": "wgs84", "crs84": "wgs84", "epsg:4326": "wgs84", "4326": "wgs84",
    "gcj02": "gcj02", "gcj-02": "gcj02", "bd09": "bd09", "bd-09": "bd09",
}


class BoundaryImportError(ValueError):
    """The file was rejected; `problems` lists every reason, one per offending feature."""

    def __init__(self, source: Path, problems: list[str]):
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: rejected, nothing written ({len(problems)} problem(s)):\n{listed}")


class ImportReport(BaseModel):
    imported: int
    replaced: int
    total_in_overlay: int
    overlay_path: Path
    crs: Crs


def _crs_from_name(name: str) -> Crs | None:
    lowered = name.strip().lower()
    for key, crs in _CRS_NAMES.items():
        if lowered == key or lowered.endswith(":" + key) or lowered.endswith("::" + key):
            return crs
    return None


def declared_crs(collection: dict) -> Crs | None:
    """The CRS a file declares: GeoJSON-2008 `crs.properties.name` (e.g. EPSG:4326) or a bare `"crs": "gcj02"`."""
    declared = collection.get("crs")
    if declared is None:
        return None
    name = declared if isinstance(declared, str) else (declared.get("properties") or {}).get("name", "")
    crs = _crs_from_name(str(name))
    if crs is None:
        raise ValueError(f"unrecognised crs {name!r}; use --crs wgs84|gcj02|bd09")
    return crs


def _to_wgs84_geometry(geometry: shapely.Geometry, crs: Crs) -> shapely.Geometry:
    if crs == "wgs84":
        return geometry
    return shapely.transform(geometry, lambda coords: [to_wgs84(x, y, crs) for x, y in coords])


def validate_features(
    collection: dict, code_property: str, crs: Crs, source: Path
) -> dict[str, shapely.MultiPolygon]:
    """Return WGS84 polygons by street code, or raise listing every problem found."""
    if collection.get("type") != "FeatureCollection" or not isinstance(collection.get("features"), list):
        raise BoundaryImportError(source, ["not a GeoJSON FeatureCollection"])
    if not collection["features"]:
        raise BoundaryImportError(source, ["the FeatureCollection has no features"])
    streets = {street.code: street for street in load_streets()}
    districts = district_geometries()
    tolerant_districts: dict[str, shapely.Geometry] = {}
    problems: list[str] = []
    polygons: dict[str, shapely.MultiPolygon] = {}
    for index, item in enumerate(collection["features"]):
        label = f"feature {index}"
        raw_code = (item.get("properties") or {}).get(code_property)
        code = str(raw_code) if raw_code is not None else None
        if code is None:
            problems.append(f"{label}: no {code_property!r} property")
            continue
        label = f"feature {index} ({code_property}={code})"
        street = streets.get(code)
        if street is None:
            problems.append(f"{label}: unknown street code; expected a 9-digit Chongqing 镇街 code such as 500103003")
            continue
        if code in polygons:
            problems.append(f"{label}: street {code} appears twice")
            continue
        try:
            geometry = shape(item.get("geometry") or {})
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as error:
            problems.append(f"{label}: unreadable geometry ({error})")
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            problems.append(f"{label}: geometry must be a non-empty Polygon or MultiPolygon, got {geometry.geom_type}")
            continue
        if not geometry.is_valid:
            problems.append(f"{label}: invalid polygon: {shapely.is_valid_reason(geometry)}")
            continue
        geometry = geojson.rounded_multipolygon(_to_wgs84_geometry(geometry, crs))
        if not geometry.is_valid:
            problems.append(f"{label}: polygon becomes invalid at 1e-6° precision: {shapely.is_valid_reason(geometry)}")
            continue
        if street.district_code not in tolerant_districts:
            tolerant_districts[street.district_code] = shapely.buffer(
                districts[street.district_code], DISTRICT_TOLERANCE_DEG
            )
        if not tolerant_districts[street.district_code].contains(geometry):
            problems.append(
                f"{label}: polygon for {street.name} extends outside its district {street.district_code} "
                f"by more than {DISTRICT_TOLERANCE_DEG}° (~200 m); check the code and the CRS ({crs})"
            )
            continue
        polygons[code] = geometry
    if problems:
        raise BoundaryImportError(source, problems)
    return polygons


def load_official_boundaries(path: Path) -> dict[str, shapely.MultiPolygon]:
    """The overlay written by `import_street_boundaries`, by street code; empty when none was imported."""
    if not path.exists():
        return {}
    boundaries = {props["code"]: geometry for props, geometry in geojson.read_features(path)}
    shapely.prepare(list(boundaries.values()))
    return boundaries


def import_street_boundaries(
    source: Path, overlay_path: Path, code_property: str = "code", crs: Crs | None = None
) -> ImportReport:
    """Validate `source` and merge it into the overlay; raise BoundaryImportError and write nothing on any problem."""
    try:
        collection = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryImportError(source, [f"cannot read GeoJSON: {error}"]) from error
    if not isinstance(collection, dict):
        raise BoundaryImportError(source, ["not a GeoJSON FeatureCollection"])
    try:
        effective_crs = crs or declared_crs(collection) or "wgs84"
    except ValueError as error:
        raise BoundaryImportError(source, [str(error)]) from None
    imported = validate_features(collection, code_property, effective_crs, source)
    merged = load_official_boundaries(overlay_path)
    replaced = sum(code in merged for code in imported)
    merged.update(imported)
    streets = {street.code: street for street in load_streets()}
    features = [
        geojson.feature(
            {"code": code, "name": streets[code].name, "district_code": streets[code].district_code}, merged[code]
        )
        for code in sorted(merged)
    ]
    overlay_path.parent.mkdir(parents=True, exist_ok=True)
    staging = overlay_path.with_suffix(overlay_path.suffix + ".tmp")
    geojson.write_feature_collection(staging, features)
    os.replace(staging, overlay_path)
    return ImportReport(
        imported=len(imported), replaced=replaced, total_in_overlay=len(merged),
        overlay_path=overlay_path, crs=effective_crs,
    )
