"""A small, explicit registry for case tests: two real districts, a few real streets, a
camera, three trucks (permit in the same district, permit across districts, no permit)
and officers at known distances, so every assertion can name who should get the case.
"""

from datetime import UTC, datetime, time

from sqlalchemy.engine import Engine

from models.store import (
    Camera,
    ConstructionSite,
    DistrictRow,
    DutyShift,
    HandlingUnitRow,
    Officer,
    StreetRow,
    TransportPermit,
    session_scope,
)

JIULONGPO, SHAPINGBA = "500107", "500106"
YANGJIAPING, XIEJIAWAN, XIAOLONGKAN = "500107001", "500107003", "500106001"
CAMERA = "CAM-JLP-0001"
PLATE_LOCAL, PLATE_CROSS, PLATE_NONE = "渝A·11111", "渝A·22222", "渝A·33333"
SITE_LOCAL, SITE_CROSS = "SITE-JLP-01", "SITE-SPB-01"
NEAR_OFFICER, FAR_OFFICER, LEAD = "OF-XJW-1", "OF-XJW-2", "OF-XJW-LEAD"
SPB_OFFICER = "OF-XLK-1"
ALWAYS = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def load_casebook(engine: Engine) -> None:
    with session_scope(engine) as session:
        if session.get(DistrictRow, JIULONGPO):
            return
        session.add_all(
            [
                DistrictRow(code=JIULONGPO, name="九龙坡区"),
                DistrictRow(code=SHAPINGBA, name="沙坪坝区"),
                HandlingUnitRow(code=JIULONGPO, name="九龙坡区", kind="district", district_codes=[JIULONGPO]),
                HandlingUnitRow(code=SHAPINGBA, name="沙坪坝区", kind="district", district_codes=[SHAPINGBA]),
            ]
        )
        session.flush()
        for code, name, district, lon, lat in [
            (YANGJIAPING, "杨家坪街道", JIULONGPO, 106.512, 29.506),
            (XIEJIAWAN, "谢家湾街道", JIULONGPO, 106.523, 29.522),
            (XIAOLONGKAN, "小龙坎街道", SHAPINGBA, 106.459, 29.558),
        ]:
            session.add(
                StreetRow(
                    code=code, name=name, district_code=district, handling_unit_code=district,
                    seat_lon=lon, seat_lat=lat, seat_source="test",
                )
            )
        session.flush()
        session.add(
            Camera(
                id=CAMERA, name="铜陶北路卡口", lon=106.508, lat=29.503, district_code=JIULONGPO,
                street_code=YANGJIAPING, heading_deg=90.0, road_name="铜陶北路",
            )
        )
        for site, street, district, lon, lat in [
            (SITE_LOCAL, XIEJIAWAN, JIULONGPO, 106.524, 29.523),
            (SITE_CROSS, XIAOLONGKAN, SHAPINGBA, 106.460, 29.559),
        ]:
            session.add(
                ConstructionSite(
                    id=site, name=f"{site} 工地", district_code=district, street_code=street,
                    lon=lon, lat=lat, geofence='{"type":"Polygon","coordinates":[]}',
                )
            )
        session.flush()
        for plate, site in [(PLATE_LOCAL, SITE_LOCAL), (PLATE_CROSS, SITE_CROSS)]:
            session.add(
                TransportPermit(
                    id=f"PERMIT-{site}", plate=plate, site_id=site, company="样例运输公司",
                    valid_from=ALWAYS[0], valid_until=ALWAYS[1], permitted_start=time(22),
                    permitted_end=time(6), route='{"type":"LineString","coordinates":[]}',
                )
            )
        for officer, street, district, lon, lat, lead in [
            (NEAR_OFFICER, XIEJIAWAN, JIULONGPO, 106.5245, 29.5235, False),
            (FAR_OFFICER, XIEJIAWAN, JIULONGPO, 106.540, 29.540, False),
            (LEAD, XIEJIAWAN, JIULONGPO, 106.600, 29.600, True),
            (SPB_OFFICER, XIAOLONGKAN, SHAPINGBA, 106.4605, 29.5595, False),
        ]:
            session.add(
                Officer(
                    id=officer, name=officer, street_code=street, handling_unit_code=district,
                    skills=["muck_truck"], lon=lon, lat=lat, is_street_lead=lead,
                )
            )
        session.flush()
        for officer in (NEAR_OFFICER, FAR_OFFICER, SPB_OFFICER):
            session.add(DutyShift(id=f"SHIFT-{officer}", officer_id=officer, starts_at=ALWAYS[0], ends_at=ALWAYS[1]))
