"""The committed directory: 38 districts, 1,031 towns/streets, handling units for all."""

import shapely

from models.geo.directory import (
    district_geometries,
    load_districts,
    load_handling_units,
    load_streets,
    street_service_areas,
)


def test_thirty_eight_districts_with_valid_wgs84_polygons():
    districts = load_districts()
    assert len(districts) == 38
    assert {d.code for d in districts} == set(district_geometries())
    names = {d.code: d.name for d in districts}
    assert names["500103"] == "渝中区" and names["500101"] == "万州区" and names["500243"] == "彭水苗族土家族自治县"
    for geometry in district_geometries().values():
        assert geometry.is_valid and geometry.geom_type == "MultiPolygon"
        minx, miny, maxx, maxy = geometry.bounds
        assert 105.2 < minx < maxx < 110.3 and 28.1 < miny < maxy < 32.3


def test_districts_tile_chongqing_without_overlap():
    geometries = list(district_geometries().values())
    total = sum(g.area for g in geometries)
    union = shapely.union_all(geometries)
    assert abs(union.area - total) / total < 1e-4


def test_all_1031_streets_load_with_known_districts():
    streets = load_streets()
    assert len(streets) == 1031
    assert len({s.code for s in streets}) == 1031
    districts = {d.code for d in load_districts()}
    assert all(s.district_code in districts and s.code.startswith(s.district_code) for s in streets)


def test_seat_sources():
    streets = load_streets()
    geonames = [s for s in streets if s.seat_source == "geonames"]
    assert 880 <= len(geonames) <= 950
    assert all(s.geonameid for s in geonames)
    assert all(s.geonameid is None for s in streets if s.seat_source != "geonames")
    seated_districts = {s.district_code for s in streets if s.seat_source != "district_interior"}
    assert seated_districts == {d.code for d in load_districts()}


def test_every_street_has_an_existing_handling_unit():
    units = {u.code: u for u in load_handling_units()}
    for street in load_streets():
        unit = units[street.handling_unit_code]
        assert unit.kind in ("district", "functional_zone")
        assert street.district_code in unit.district_codes


def test_handling_units_are_city_districts_and_three_functional_zones():
    units = load_handling_units()
    kinds = [u.kind for u in units]
    assert kinds.count("city") == 1 and kinds.count("district") == 38 and kinds.count("functional_zone") == 3
    assert len(units) == 42  # 1 city centre + 41 district-level centres, as in the three tiers


def test_wansheng_administers_its_ten_towns_under_qijiang():
    wansheng = {s.name for s in load_streets() if s.handling_unit_code == "FZ-WANSHENG"}
    assert wansheng == {"万盛街道", "东林街道", "万东镇", "南桐镇", "青年镇", "关坝镇", "丛林镇", "石林镇", "金桥镇", "黑山镇"}
    qijiang_own = [s for s in load_streets() if s.district_code == "500110" and s.handling_unit_code == "500110"]
    assert {s.name for s in qijiang_own} >= {"古南街道", "文龙街道"}


def test_service_areas_partition_their_district():
    areas = street_service_areas()
    streets = {s.code: s for s in load_streets()}
    districts = district_geometries()
    by_district: dict[str, list] = {}
    for code, area in areas.items():
        assert streets[code].seat_source in ("geonames", "curated")
        by_district.setdefault(streets[code].district_code, []).append(area)
    for district_code, parts in by_district.items():
        covered = sum(p.area for p in parts)
        assert abs(covered - districts[district_code].area) / districts[district_code].area < 1e-4
