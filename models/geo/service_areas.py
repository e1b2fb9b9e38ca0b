"""Approximate 镇街 street service areas: Voronoi cells of the known seats inside each district.

Official street boundaries are not openly published, so until a city imports them (see
`models.geo.official`), a point is given to the street whose seat is nearest within the
same 区县 district. Distances are measured in an equirectangular projection at 30°N, so
a degree of longitude counts as cos(30°) of a degree of latitude; across Chongqing
(28.2–32.2°N) this keeps the distance error under 3 %.
"""

import math

import shapely
from shapely import affinity

from models.geo.geojson import as_multipolygon

LONGITUDE_SCALE = math.cos(math.radians(30.0))
PRECISION_DEG = 1e-6


def _to_metric(geometry: shapely.Geometry) -> shapely.Geometry:
    return affinity.scale(geometry, xfact=LONGITUDE_SCALE, yfact=1.0, origin=(0.0, 0.0))


def _from_metric(geometry: shapely.Geometry) -> shapely.Geometry:
    return affinity.scale(geometry, xfact=1.0 / LONGITUDE_SCALE, yfact=1.0, origin=(0.0, 0.0))


def voronoi_service_areas(
    district: shapely.Geometry, seats: dict[str, tuple[float, float]]
) -> dict[str, shapely.MultiPolygon]:
    """Split a district among its seats (street code → lon/lat), each cell clipped to the district."""
    if not seats:
        return {}
    if len(set(seats.values())) != len(seats):
        raise ValueError("two streets of one district share a seat point; Voronoi cells would merge")
    if len(seats) == 1:
        return {next(iter(seats)): as_multipolygon(district)}
    codes = sorted(seats)
    points = [shapely.Point(seats[code]) for code in codes]
    cells = shapely.voronoi_polygons(
        _to_metric(shapely.MultiPoint(points)), extend_to=_to_metric(district.envelope.buffer(0.1))
    )
    areas: dict[str, shapely.MultiPolygon] = {}
    for cell in shapely.get_parts(cells):
        cell = _from_metric(cell)
        owners = [code for code, point in zip(codes, points) if shapely.intersects(cell, point)]
        if len(owners) != 1:
            raise ValueError(f"a Voronoi cell holds {len(owners)} seats, expected exactly one")
        clipped = shapely.set_precision(shapely.intersection(cell, district), PRECISION_DEG)
        areas[owners[0]] = as_multipolygon(clipped)
    return {code: areas[code] for code in codes}
