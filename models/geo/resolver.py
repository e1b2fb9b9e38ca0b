"""Point → jurisdiction: which 区县 district, which 镇街 town/street, which handling unit.

This sits on the automatic-dispatch path (the article's "millisecond dispatch"), so a
single lookup must cost microseconds. A uniform grid over Chongqing is classified once
at start-up: a grid cell lying wholly inside one district and one street area answers
without any geometry test; only cells crossed by a boundary fall back to prepared
point-in-polygon tests on the few polygons that touch them.

Precedence for the street: an imported official polygon (exact), else the Voronoi
service area of the nearest seat within the district (approximate), else the nearest
street of the district. A point on a shared edge goes to the lower-indexed polygon in
both the single and the batch path, so both always agree.
"""

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import shapely
from models.geo.crs import Crs, to_wgs84
from models.geo.directory import (
    district_geometries,
    load_districts,
    load_handling_units,
    load_streets,
    street_service_areas,
)
from models.geo.official import load_official_boundaries
from models.geo.place import Place
from models.geo.service_areas import LONGITUDE_SCALE
from models.settings import get_settings

GRID_STEP_DEG = 0.01


class Location(Place):
    """Where a WGS84 point falls; `approximate` is true unless the street comes from an official polygon."""

    handling_unit_code: str
    handling_unit_name: str
    approximate: bool


class OutsideChongqing(ValueError):
    """The point is a valid coordinate but not inside any of Chongqing's 38 districts."""

    def __init__(self, lon: float, lat: float, crs: Crs = "wgs84"):
        self.lon = lon
        self.lat = lat
        self.crs = crs
        super().__init__(f"point (lon={lon}, lat={lat}, {crs}) is outside Chongqing: it lies in none of its 38 districts")


class _Jurisdiction(NamedTuple):
    """Everything in a Location except the point itself, shared by all points that resolve alike."""

    district_code: str
    district_name: str
    street_code: str | None
    street_name: str | None
    handling_unit_code: str
    handling_unit_name: str
    approximate: bool


class _Polygons(NamedTuple):
    """A layer of prepared polygons, each owned by one district and naming one street."""

    geometries: list[shapely.Geometry]
    districts: list[int]
    streets: list[int]


class _MixedCell:
    """A grid cell crossed by a boundary: the only polygons a point in it must be tested against."""

    __slots__ = ("districts", "inside_district", "areas", "officials")

    def __init__(self) -> None:
        self.districts: list[int] = []
        self.inside_district: int | None = None
        self.areas: list[int] = []
        self.officials: list[int] = []


def validate_coordinates(lon: float, lat: float) -> tuple[float, float]:
    """Reject what is not a coordinate at all, with the reason; OutsideChongqing is for real but distant points."""
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise ValueError(f"longitude and latitude must be numbers, got {lon!r}, {lat!r}") from None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"longitude and latitude must be finite, got {lon}, {lat}")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude {lon} is outside [-180, 180]; were longitude and latitude swapped?")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside [-90, 90]; were longitude and latitude swapped?")
    return lon, lat


def _location(lon: float, lat: float, found: _Jurisdiction) -> Location:
    return Location(
        lon=lon, lat=lat, district_code=found.district_code, district_name=found.district_name,
        street_code=found.street_code, street_name=found.street_name,
        handling_unit_code=found.handling_unit_code, handling_unit_name=found.handling_unit_name,
        approximate=found.approximate,
    )


class JurisdictionResolver:
    """Resolves points against the committed directory plus an optional official-boundary overlay."""

    def __init__(self, official_boundaries_path: Path | None = None, grid_step_deg: float = GRID_STEP_DEG):
        districts = load_districts()
        district_geometry = district_geometries()
        self._streets = load_streets()
        street_index = {street.code: index for index, street in enumerate(self._streets)}
        district_index = {district.code: index for index, district in enumerate(districts)}
        units = {unit.code: unit for unit in load_handling_units()}

        self._district_geometries = [district_geometry[district.code] for district in districts]
        self._district_answers = [
            _Jurisdiction(district.code, district.name, None, None, district.code, units[district.code].name, True)
            for district in districts
        ]
        self._street_answers = {
            approximate: [
                _Jurisdiction(
                    street.district_code, districts[district_index[street.district_code]].name, street.code,
                    street.name, street.handling_unit_code, units[street.handling_unit_code].name, approximate,
                )
                for street in self._streets
            ]
            for approximate in (True, False)
        }
        self._areas = self._layer(street_service_areas(), street_index, district_index)
        self._officials = self._layer(
            load_official_boundaries(official_boundaries_path) if official_boundaries_path else {},
            street_index, district_index,
        )
        self._nearest_candidates = self._seats_by_district(district_index, len(districts))
        self._district_tree = shapely.STRtree(self._district_geometries)
        self._area_tree = shapely.STRtree(self._areas.geometries)
        self._official_tree = shapely.STRtree(self._officials.geometries)
        self._build_grid(grid_step_deg)

    def _layer(
        self, polygons: dict[str, shapely.Geometry], street_index: dict[str, int], district_index: dict[str, int]
    ) -> _Polygons:
        codes = sorted(polygons)
        streets = [street_index[code] for code in codes]
        return _Polygons(
            geometries=[polygons[code] for code in codes],
            districts=[district_index[self._streets[index].district_code] for index in streets],
            streets=streets,
        )

    def _seats_by_district(self, district_index: dict[str, int], count: int) -> list[list[int]]:
        """Streets a point may fall back to when no polygon claims it: seats that draw service areas, else all."""
        seated = set(self._areas.streets)
        seated_by_district: list[list[int]] = [[] for _ in range(count)]
        all_by_district: list[list[int]] = [[] for _ in range(count)]
        for index, street in enumerate(self._streets):
            district = district_index[street.district_code]
            all_by_district[district].append(index)
            if index in seated:
                seated_by_district[district].append(index)
        return [seated or every for seated, every in zip(seated_by_district, all_by_district)]

    def _build_grid(self, step: float) -> None:
        minx, miny, maxx, maxy = shapely.total_bounds(self._district_geometries)
        self._step = step
        self._i0 = math.floor(minx / step)
        self._j0 = math.floor(miny / step)
        self._nx = math.floor(maxx / step) - self._i0 + 1
        self._ny = math.floor(maxy / step) - self._j0 + 1
        mixed: dict[int, _MixedCell] = {}
        inside_area: dict[int, int] = {}
        inside_official: dict[int, int] = {}

        for index, geometry in enumerate(self._district_geometries):
            for key, within in self._touched_cells(geometry):
                cell = mixed.setdefault(key, _MixedCell())
                cell.districts.append(index)
                if within:
                    cell.inside_district = index
        for index, geometry in enumerate(self._areas.geometries):
            for key, within in self._touched_cells(geometry):
                if key in mixed:
                    mixed[key].areas.append(index)
                    if within:
                        inside_area[key] = index
        for index, geometry in enumerate(self._officials.geometries):
            for key, within in self._touched_cells(geometry):
                if key in mixed:
                    mixed[key].officials.append(index)
                    if within:
                        inside_official[key] = index

        grid: list[_Jurisdiction | _MixedCell | None] = [None] * (self._nx * self._ny)
        for key, cell in mixed.items():
            grid[key] = self._settled(cell, inside_area.get(key), inside_official.get(key)) or cell
        self._grid = grid

    def _touched_cells(self, geometry: shapely.Geometry) -> list[tuple[int, bool]]:
        """Grid cells the polygon touches, each with whether the polygon covers it entirely."""
        step = self._step
        x0, y0, x1, y1 = geometry.bounds
        cells = [
            (i, j)
            for j in range(math.floor(y0 / step), math.floor(y1 / step) + 1)
            for i in range(math.floor(x0 / step), math.floor(x1 / step) + 1)
        ]
        boxes = shapely.box(
            [i * step for i, _ in cells], [j * step for _, j in cells],
            [(i + 1) * step for i, _ in cells], [(j + 1) * step for _, j in cells],
        )
        touched = shapely.intersects(geometry, boxes).nonzero()[0]
        inside = shapely.contains_properly(geometry, boxes[touched]).tolist()
        return [
            ((j - self._j0) * self._nx + (i - self._i0), within)
            for (i, j), within in zip((cells[position] for position in touched.tolist()), inside)
            if 0 <= i - self._i0 < self._nx and 0 <= j - self._j0 < self._ny
        ]

    def _settled(self, cell: _MixedCell, inside_area: int | None, inside_official: int | None) -> _Jurisdiction | None:
        """The answer shared by every point of a cell, when no boundary crosses it."""
        if cell.inside_district is None:
            return None
        if inside_official is not None and len(cell.officials) == 1:
            return self._street_answers[False][self._officials.streets[inside_official]]
        if inside_area is not None and not cell.officials:
            return self._street_answers[True][self._areas.streets[inside_area]]
        return None

    def _nearest_street(self, district: int, lon: float, lat: float) -> _Jurisdiction:
        candidates = self._nearest_candidates[district]
        if not candidates:
            return self._district_answers[district]
        best = min(
            candidates,
            key=lambda index: (
                ((self._streets[index].seat_lon - lon) * LONGITUDE_SCALE) ** 2 + (self._streets[index].seat_lat - lat) ** 2,
                self._streets[index].code,
            ),
        )
        return self._street_answers[True][best]

    def _street_in(self, district: int, cell: _MixedCell, lon: float, lat: float) -> _Jurisdiction:
        officials = self._officials
        for index in cell.officials:
            if officials.districts[index] == district and shapely.intersects_xy(officials.geometries[index], lon, lat):
                return self._street_answers[False][officials.streets[index]]
        areas = self._areas
        for index in cell.areas:
            if areas.districts[index] == district and shapely.intersects_xy(areas.geometries[index], lon, lat):
                return self._street_answers[True][areas.streets[index]]
        return self._nearest_street(district, lon, lat)

    def _cell(self, lon: float, lat: float) -> _Jurisdiction | _MixedCell | None:
        i = math.floor(lon / self._step) - self._i0
        j = math.floor(lat / self._step) - self._j0
        if not (0 <= i < self._nx and 0 <= j < self._ny):
            return None
        return self._grid[j * self._nx + i]

    def _resolve(self, lon: float, lat: float) -> _Jurisdiction | None:
        cell = self._cell(lon, lat)
        if cell is None or cell.__class__ is _Jurisdiction:
            return cell
        district = cell.inside_district
        if district is None:
            district = next(
                (index for index in cell.districts if shapely.intersects_xy(self._district_geometries[index], lon, lat)),
                None,
            )
            if district is None:
                return None
        return self._street_in(district, cell, lon, lat)

    def locate(self, lon: float, lat: float, crs: Crs = "wgs84") -> Location:
        """Resolve one point; raise OutsideChongqing (a ValueError) for a point in none of the districts."""
        lon, lat = validate_coordinates(lon, lat)
        wgs_lon, wgs_lat = (lon, lat) if crs == "wgs84" else to_wgs84(lon, lat, crs)
        found = self._resolve(wgs_lon, wgs_lat)
        if found is None:
            raise OutsideChongqing(lon, lat, crs)
        return _location(wgs_lon, wgs_lat, found)

    def locate_many(self, points: Sequence[tuple[float, float]], crs: Crs = "wgs84") -> list[Location | None]:
        """Resolve a batch; None marks a point outside Chongqing.

        Points in settled grid cells are answered directly; the rest (those near a boundary)
        go through one vectorised STRtree query per layer and prepared-polygon tests.
        Invalid coordinates raise ValueError naming the offending index, as the whole batch
        is then suspect (e.g. swapped columns).
        """
        xs: list[float] = []
        ys: list[float] = []
        found: list[_Jurisdiction | None] = []
        near_boundary: list[int] = []
        for position, (lon, lat) in enumerate(points):
            try:
                lon, lat = validate_coordinates(lon, lat)
            except ValueError as error:
                raise ValueError(f"point {position}: {error}") from None
            lon, lat = (lon, lat) if crs == "wgs84" else to_wgs84(lon, lat, crs)
            xs.append(lon)
            ys.append(lat)
            cell = self._cell(lon, lat)
            if cell is None or cell.__class__ is _Jurisdiction:
                found.append(cell)
            else:
                found.append(None)
                near_boundary.append(position)
        boundary_xs = [xs[position] for position in near_boundary]
        boundary_ys = [ys[position] for position in near_boundary]
        for position, jurisdiction in zip(near_boundary, self._resolve_vectorised(boundary_xs, boundary_ys)):
            found[position] = jurisdiction
        return [None if item is None else _location(lon, lat, item) for lon, lat, item in zip(xs, ys, found)]

    def _resolve_vectorised(self, xs: list[float], ys: list[float]) -> list[_Jurisdiction | None]:
        if not xs:
            return []
        geometries = shapely.points(xs, ys)
        district = self._first_hit(self._district_tree, geometries, [None] * len(xs))
        official = self._first_hit(self._official_tree, geometries, district, self._officials.districts)
        area = self._first_hit(self._area_tree, geometries, district, self._areas.districts)
        resolved: list[_Jurisdiction | None] = []
        for position, (lon, lat) in enumerate(zip(xs, ys)):
            if district[position] is None:
                resolved.append(None)
            elif official[position] is not None:
                resolved.append(self._street_answers[False][self._officials.streets[official[position]]])
            elif area[position] is not None:
                resolved.append(self._street_answers[True][self._areas.streets[area[position]]])
            else:
                resolved.append(self._nearest_street(district[position], lon, lat))
        return resolved

    @staticmethod
    def _first_hit(tree, geometries, required_district, owners: list[int] | None = None) -> list[int | None]:
        """Lowest-index polygon holding each point (restricted to the point's own district when `owners` is given)."""
        hits: list[int | None] = [None] * len(geometries)
        if len(tree) == 0:
            return hits
        point_index, polygon_index = tree.query(geometries)
        if len(point_index) == 0:
            return hits
        inside = shapely.intersects_xy(
            tree.geometries[polygon_index], shapely.get_x(geometries[point_index]), shapely.get_y(geometries[point_index])
        )
        for point, polygon, holds in zip(point_index.tolist(), polygon_index.tolist(), inside.tolist()):
            if not holds or (owners is not None and owners[polygon] != required_district[point]):
                continue
            if hits[point] is None or polygon < hits[point]:
                hits[point] = polygon
        return hits


@lru_cache(maxsize=1)
def default_resolver() -> JurisdictionResolver:
    """The process-wide resolver over the committed data and the configured official overlay."""
    return JurisdictionResolver(official_boundaries_path=get_settings().street_boundaries_path)
