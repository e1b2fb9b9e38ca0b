"""Which 风险点 risk points a warning's area covers, a page at a time.

A citywide warning covers over a thousand points; the warning dispatches them in pages
ordered by id, so a continued-as-new run resumes from its cursor and no point is
dispatched twice. Whole districts are a plain SQL filter; a drawn polygon narrows the
candidates first to the districts it touches and its bounding box, then tests each point.
"""

import shapely
from shapely.geometry import shape
from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, and_, func, select
from temporalio import activity

from activities.places import place_of
from models.geo.directory import district_geometries
from models.heavy_rain import PointPage, PointPageRequest, RiskPointRef, WarningArea
from models.store import RiskPoint


def touched_districts(polygon: shapely.Geometry) -> list[str]:
    """The districts a polygon overlaps; empty means it lies outside Chongqing."""
    return sorted(code for code, geometry in district_geometries().items() if geometry.intersects(polygon))


class _Area:
    """An area as SQL candidates plus the exact test the polygon still needs."""

    def __init__(self, area: WarningArea) -> None:
        self.districts = set(area.district_codes)
        self.polygon = shapely.prepared.prep(shape(area.polygon)) if area.polygon else None
        clauses = [RiskPoint.district_code.in_(sorted(self.districts))] if self.districts else []
        if area.polygon:
            west, south, east, north = shape(area.polygon).bounds
            clauses.append(
                and_(
                    RiskPoint.district_code.in_(touched_districts(shape(area.polygon))),
                    RiskPoint.lon.between(west, east),
                    RiskPoint.lat.between(south, north),
                )
            )
        self.where = or_(*clauses)

    def covers(self, point: RiskPoint) -> bool:
        if point.district_code in self.districts:
            return True
        return self.polygon is not None and self.polygon.contains(shapely.Point(point.lon, point.lat))


class RiskPointActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="risk_points_in_area")
    def page(self, request: PointPageRequest) -> PointPage:
        area = _Area(request.area)
        found: list[RiskPoint] = []
        after = request.after
        with Session(self.engine) as session:
            total = self._count(session, area) if request.count_total else None
            while len(found) < request.limit:
                query = select(RiskPoint).where(area.where).order_by(RiskPoint.id).limit(request.limit)
                if after is not None:
                    query = query.where(RiskPoint.id > after)
                rows = session.exec(query).all()
                if not rows:
                    return PointPage(points=[_ref(session, p) for p in found], after=after, exhausted=True, total=total)
                for row in rows:
                    after = row.id
                    if area.covers(row):
                        found.append(row)
                        if len(found) == request.limit:
                            break
            return PointPage(points=[_ref(session, p) for p in found], after=after, exhausted=False, total=total)

    @staticmethod
    def _count(session: Session, area: _Area) -> int:
        if area.polygon is None:
            return session.exec(select(func.count()).select_from(RiskPoint).where(area.where)).one()
        return sum(area.covers(point) for point in session.exec(select(RiskPoint).where(area.where)))


def _ref(session: Session, point: RiskPoint) -> RiskPointRef:
    return RiskPointRef(
        point_id=point.id,
        name=point.name,
        kind=point.kind,
        note=point.note,
        place=place_of(session, point.lon, point.lat, point.street_code),
    )
