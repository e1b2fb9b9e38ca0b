"""Registry rows for the scenario tests, on top of the muck-truck casebook's streets:
flood-patrol inspectors, risk points in two districts and one dense place."""

from sqlalchemy.engine import Engine

from models.store import DensePlace, DutyShift, Officer, RiskPoint, session_scope
from tests.casebook import ALWAYS, JIULONGPO, SHAPINGBA, XIAOLONGKAN, XIEJIAWAN

FLOOD_XJW, FLOOD_XLK, CROWD_XJW = "OF-XJW-FLOOD", "OF-XLK-FLOOD", "OF-XJW-CROWD"
PLACE = "PLACE-XJW-SQUARE"
PLACE_CAPACITY = 1_000


def risk_point_id(n: int) -> str:
    return f"T-RP-{n:04d}"


def load_scenebook(engine: Engine, risk_points: int = 3) -> None:
    """`risk_points` points alternate between 谢家湾 (九龙坡) and 小龙坎 (沙坪坝), in id order."""
    with session_scope(engine) as session:
        for officer, street, district, lon, lat, skill in [
            (FLOOD_XJW, XIEJIAWAN, JIULONGPO, 106.5246, 29.5236, "flood_patrol"),
            (FLOOD_XLK, XIAOLONGKAN, SHAPINGBA, 106.4606, 29.5596, "flood_patrol"),
            (CROWD_XJW, XIEJIAWAN, JIULONGPO, 106.5247, 29.5237, "crowd_control"),
        ]:
            session.add(
                Officer(
                    id=officer, name=officer, street_code=street, handling_unit_code=district,
                    skills=[skill], lon=lon, lat=lat,
                )
            )
        session.flush()
        for officer in (FLOOD_XJW, FLOOD_XLK, CROWD_XJW):
            session.add(DutyShift(id=f"SHIFT-{officer}", officer_id=officer, starts_at=ALWAYS[0], ends_at=ALWAYS[1]))
        for n in range(1, risk_points + 1):
            street, district, lon, lat = (
                (XIEJIAWAN, JIULONGPO, 106.523, 29.522) if n % 2 else (XIAOLONGKAN, SHAPINGBA, 106.459, 29.558)
            )
            session.add(
                RiskPoint(
                    id=risk_point_id(n), name=f"测试风险点{n}", kind="low_lying_road", district_code=district,
                    street_code=street, lon=lon + n * 1e-6, lat=lat,
                )
            )
        session.add(
            DensePlace(
                id=PLACE, name="谢家湾测试广场", kind="square", capacity=PLACE_CAPACITY, district_code=JIULONGPO,
                street_code=XIEJIAWAN, lon=106.5235, lat=29.5225,
            )
        )
