"""The risk-point and dense-place registries: samples sit where the resolver says, and a
city's own list imports from CSV or GeoJSON, all-or-nothing, on SQLite and PostgreSQL."""

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from models.geo.directory import load_districts, load_streets
from models.geo.resolver import default_resolver
from models.store import RiskPoint, session_scope
from models.store.directory import DistrictRow, StreetRow
from models.store.risk_point_import import RiskPointImportError, import_risk_points
from models.store.samples.dense_places import dense_places
from models.store.samples.places import Geography
from models.store.samples.risk_points import risk_points
from models.store.samples.sites import MAIN_URBAN_WEIGHTS


@pytest.fixture(scope="module")
def geography() -> Geography:
    districts = [DistrictRow(code=d.code, name=d.name) for d in load_districts()]
    streets = [
        StreetRow(
            code=s.code, name=s.name, district_code=s.district_code, handling_unit_code=s.handling_unit_code,
            seat_lon=s.seat_lon, seat_lat=s.seat_lat, seat_source=s.seat_source,
        )
        for s in load_streets()
    ]
    return Geography(districts, streets)


def test_sample_risk_points_cover_every_district_and_resolve_to_their_street(geography):
    points = risk_points(random.Random("risk-points:7"), geography)
    assert len(points) > 1_000, "a citywide red warning must exercise a real fan-out"
    assert {p.district_code for p in points} == set(geography.districts)
    assert len({p.id for p in points}) == len(points)
    resolver = default_resolver()
    for point in points:
        assert resolver.locate(point.lon, point.lat).street_code == point.street_code, point.id
    urban = Counter(p.kind for p in points if p.district_code in MAIN_URBAN_WEIGHTS)
    outlying = Counter(p.kind for p in points if p.district_code not in MAIN_URBAN_WEIGHTS)
    assert urban.most_common(1)[0][0] in {"underpass", "low_lying_road"}
    assert outlying.most_common(1)[0][0] == "geological_hazard", "slopes above villages dominate outside"
    assert points == risk_points(random.Random("risk-points:7"), geography), "same seed, same points"


def test_sample_dense_places_are_real_landmarks_in_the_main_urban_area(geography):
    places = {p.id: p for p in dense_places(geography)}
    assert places["SAMPLE-PLACE-JFB"].district_code == "500103"  # 解放碑 in 渝中区
    assert places["SAMPLE-PLACE-CQK"].district_code == "500106"  # 磁器口 in 沙坪坝区
    assert all(p.capacity > 0 and p.name.startswith("样例") for p in places.values())


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_from_csv_and_geojson_locates_each_point(store_engine, tmp_path):
    csv_file = write(tmp_path / "points.csv", "id,name,kind,lon,lat,note\nT-RP-1,解放碑下穿道,underpass,106.5775,29.5575,限高\n")
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "T-RP-2", "name": "滑坡点", "kind": "geological_hazard"},
                "geometry": {"type": "Point", "coordinates": [106.583, 29.560]},
            }
        ],
    }
    geojson_file = write(tmp_path / "points.geojson", json.dumps(geojson))
    with session_scope(store_engine) as session:
        assert import_risk_points(session, csv_file) == 1
        assert import_risk_points(session, geojson_file, crs="gcj02") == 1
        assert import_risk_points(session, csv_file) == 1, "re-importing updates in place"
    with session_scope(store_engine) as session:
        rows = {r.id: r for r in session.exec(select(RiskPoint).where(RiskPoint.id.startswith("T-RP-"))).all()}
        assert set(rows) == {"T-RP-1", "T-RP-2"}
        assert (rows["T-RP-1"].district_code, rows["T-RP-1"].sample) == ("500103", False)
        assert rows["T-RP-2"].lon != 106.583, "GCJ-02 input is stored as WGS84"


def test_a_bad_row_rejects_the_whole_file_with_every_reason(store_engine, tmp_path):
    bad = write(
        tmp_path / "bad.csv",
        "id,name,kind,lon,lat\nT-RP-9,好点,riverside,106.5775,29.5575\nT-RP-10,北京,riverside,116.4,39.9\nT-RP-11,怪点,volcano,106.5,29.5\n",
    )
    with session_scope(store_engine) as session, pytest.raises(RiskPointImportError) as rejected:
        import_risk_points(session, bad)
    assert "2 rejected row(s)" in str(rejected.value)
    assert "outside Chongqing" in str(rejected.value) and "volcano" in str(rejected.value)
    with session_scope(store_engine) as session:
        assert session.get(RiskPoint, "T-RP-9") is None, "nothing of a rejected file is written"
