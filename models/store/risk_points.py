"""风险点 risk points: the places a rainstorm warning sends inspectors to.

Each is a point in the real geography with the street that patrols it; a warning's area
(districts and/or a polygon) selects them. Rows come from the sample registry
(`onething seed`) or from a city's own list (`onething risk-points import`).
"""

from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel


class RiskPointKind(StrEnum):
    geological_hazard = "geological_hazard"  # 地质灾害隐患点: landslide, rockfall, debris flow
    low_lying_road = "low_lying_road"  # 低洼易涝路段
    underpass = "underpass"  # 下穿道 / 隧道口
    riverside = "riverside"  # 临江临河点


RISK_POINT_KIND_ZH = {
    RiskPointKind.geological_hazard: "地质灾害隐患点",
    RiskPointKind.low_lying_road: "低洼易涝路段",
    RiskPointKind.underpass: "下穿道",
    RiskPointKind.riverside: "临江临河点",
}


class RiskPoint(SQLModel, table=True):
    __tablename__ = "risk_points"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('geological_hazard', 'low_lying_road', 'underpass', 'riverside')", name="ck_risk_points_kind"
        ),
        Index("ix_risk_points_lon_lat", "lon", "lat"),
    )

    id: str = Field(primary_key=True)
    name: str
    kind: str
    district_code: str = Field(foreign_key="districts.code", index=True)
    street_code: str = Field(foreign_key="streets.code", index=True)
    lon: float
    lat: float
    note: str = Field(default="", sa_type=Text, description="what is at risk, e.g. households below the slope")
    sample: bool = False
