"""Point → jurisdiction on the real committed geography."""

import random

import pytest

from models.geo.crs import from_wgs84
from models.geo.directory import load_districts, load_streets
from models.geo.resolver import Location, OutsideChongqing, default_resolver

# Well-known landmarks, WGS84 (lon, lat) → expected district.
LANDMARKS = [
    ("解放碑 Liberation Monument", 106.577, 29.557, "500103", "渝中区"),
    ("重庆动物园 Chongqing Zoo, 杨家坪", 106.5085, 29.5064, "500107", "九龙坡区"),
    ("磁器口古镇 Ciqikou old town", 106.4494, 29.5806, "500106", "沙坪坝区"),
    ("江北国际机场 Jiangbei International Airport", 106.6417, 29.7192, "500112", "渝北区"),
    ("万州 city centre on the Yangtze", 108.40, 30.81, "500101", "万州区"),
]


@pytest.mark.parametrize(("landmark", "lon", "lat", "code", "name"), LANDMARKS)
def test_landmarks_resolve_to_their_district(resolver, landmark, lon, lat, code, name):
    location = resolver.locate(lon, lat)
    assert (location.district_code, location.district_name) == (code, name), landmark
    assert location.street_code is not None and location.street_code.startswith(code)


def test_liberation_monument_is_in_jiefangbei_street(resolver):
    location = resolver.locate(106.577, 29.557)
    assert location == Location(
        lon=106.577, lat=29.557, district_code="500103", district_name="渝中区",
        street_code="500103003", street_name="解放碑街道",
        handling_unit_code="500103", handling_unit_name="渝中区", approximate=True,
    )


def test_chengdu_is_rejected_with_a_clear_message(resolver):
    with pytest.raises(OutsideChongqing, match=r"lon=104\.066, lat=30\.572.*outside Chongqing"):
        resolver.locate(104.066, 30.572)
    with pytest.raises(OutsideChongqing):
        resolver.locate(*from_wgs84(104.066, 30.572, "gcj02"), crs="gcj02")


@pytest.mark.parametrize(("lon", "lat"), [(106.577, 29.557), (106.6417, 29.7192), (108.40, 30.81)])
@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_the_same_point_in_other_crs_resolves_the_same(resolver, lon, lat, crs):
    direct = resolver.locate(lon, lat)
    converted = resolver.locate(*from_wgs84(lon, lat, crs), crs=crs)
    assert converted.model_dump(exclude={"lon", "lat"}) == direct.model_dump(exclude={"lon", "lat"})
    assert converted.lon == pytest.approx(lon, abs=1e-7) and converted.lat == pytest.approx(lat, abs=1e-7)


def test_gcj02_input_is_not_taken_as_wgs84(resolver):
    """Near a boundary the ~400 m offset matters: treating GCJ-02 as WGS84 would move the point."""
    gcj = from_wgs84(106.577, 29.557, "gcj02")
    assert resolver.locate(*gcj, crs="gcj02").lon == pytest.approx(106.577, abs=1e-7)
    assert resolver.locate(*gcj).lon == gcj[0]


@pytest.mark.parametrize(
    ("lon", "lat", "reason"),
    [(200.0, 29.5, "longitude 200.0"), (106.5, 95.0, "latitude 95.0"), (float("nan"), 29.5, "finite"), ("x", 1, "numbers")],
)
def test_invalid_coordinates_are_value_errors_with_a_reason(resolver, lon, lat, reason):
    with pytest.raises(ValueError, match=reason) as raised:
        resolver.locate(lon, lat)
    assert not isinstance(raised.value, OutsideChongqing)


def test_every_street_seat_resolves_to_its_own_district_and_seated_streets_to_themselves(resolver):
    streets = load_streets()
    for street, location in zip(streets, resolver.locate_many([(s.seat_lon, s.seat_lat) for s in streets])):
        assert location is not None and location.district_code == street.district_code, street
        if street.seat_source != "district_interior":
            assert location.street_code == street.code, street
            assert location.handling_unit_code == street.handling_unit_code


def test_functional_zone_towns_are_handled_by_the_zone(resolver):
    yuelai = next(s for s in load_streets() if s.name == "悦来街道")
    wansheng = next(s for s in load_streets() if s.name == "万盛街道")
    for street, unit in ((yuelai, ("FZ-LIANGJIANG", "两江新区")), (wansheng, ("FZ-WANSHENG", "万盛经开区"))):
        if street.seat_source == "district_interior":
            continue
        location = resolver.locate(street.seat_lon, street.seat_lat)
        assert (location.handling_unit_code, location.handling_unit_name) == unit


def test_every_district_interior_point_gets_a_street(resolver):
    names = {d.code: d.name for d in load_districts()}
    for street in load_streets():
        location = resolver.locate(street.seat_lon, street.seat_lat)
        assert location.district_name == names[street.district_code]
        assert location.street_code is not None and location.approximate


def test_batch_agrees_with_single_lookups_and_marks_outside_points(resolver):
    rng = random.Random(20240821)
    points = [(rng.uniform(105.2, 110.3), rng.uniform(28.1, 32.3)) for _ in range(3000)]
    batch = resolver.locate_many(points)
    inside = 0
    for point, located in zip(points, batch):
        try:
            single = resolver.locate(*point)
        except OutsideChongqing:
            single = None
        assert located == single
        inside += single is not None
    assert 0.3 < inside / len(points) < 0.5  # Chongqing fills ~40 % of its bounding box


def test_batch_rejects_invalid_points_by_index(resolver):
    with pytest.raises(ValueError, match="point 1: latitude"):
        resolver.locate_many([(106.5, 29.5), (106.5, 99.0)])
    assert resolver.locate_many([]) == []


def test_default_resolver_is_shared(onething_home):
    default_resolver.cache_clear()
    try:
        assert default_resolver() is default_resolver()
        assert default_resolver().locate(106.577, 29.557).district_code == "500103"
    finally:
        default_resolver.cache_clear()
