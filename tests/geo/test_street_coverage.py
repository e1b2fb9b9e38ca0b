"""Street-level answers in the urban core, and enough seats in every district to split it."""

from collections import Counter

import pytest

from models.geo.directory import load_districts, load_streets

# Well-known places, WGS84 (lon, lat) → the street they belong to. The streets of 九龙坡区,
# 大渡口区, 江北区 and 南岸区 had a single seat each before the curated seats and cities500.
STREET_LANDMARKS = [
    ("杨家坪步行街", 106.513, 29.507, "500107001", "杨家坪街道"),
    ("重庆动物园, 杨家坪", 106.5085, 29.5064, "500107001", "杨家坪街道"),
    ("四川美术学院 黄桷坪 old campus", 106.522, 29.487, "500107002", "黄桷坪街道"),
    ("石桥铺", 106.487, 29.545, "500107005", "石桥铺街道"),
    ("二郎 科技新城", 106.460, 29.510, "500107008", "二郎街道"),
    ("大渡口 新山村", 106.483, 29.482, "500104001", "新山村街道"),
    ("江北 观音桥", 106.534, 29.575, "500105006", "观音桥街道"),
    ("南岸 南坪", 106.561, 29.531, "500108003", "南坪街道"),
    ("解放碑", 106.577, 29.557, "500103003", "解放碑街道"),
    ("磁器口古镇", 106.4494, 29.5806, "500106004", "磁器口街道"),
]


@pytest.mark.parametrize(("landmark", "lon", "lat", "code", "name"), STREET_LANDMARKS)
def test_landmarks_resolve_to_their_street(resolver, landmark, lon, lat, code, name):
    location = resolver.locate(lon, lat)
    assert (location.street_code, location.street_name) == (code, name), landmark
    assert location.approximate


def test_every_district_with_five_or_more_streets_has_at_least_three_seats():
    """No exemptions: every such district is split into at least three service areas."""
    streets = load_streets()
    total = Counter(s.district_code for s in streets)
    seated = Counter(s.district_code for s in streets if s.seat_source != "district_interior")
    names = {d.code: d.name for d in load_districts()}
    thin = {names[code]: (seated[code], count) for code, count in total.items() if count >= 5 and seated[code] < 3}
    assert thin == {}
    # A regression guard well above that floor: every district knows the seats of most of its streets.
    assert all(seated[code] / count >= 0.6 for code, count in total.items()), {
        names[code]: (seated[code], count) for code, count in total.items() if seated[code] / count < 0.6
    }


@pytest.mark.parametrize("district_code", ["500104", "500105", "500107", "500108"])
def test_the_urban_districts_once_served_by_one_seat_now_seat_every_street(district_code):
    streets = [s for s in load_streets() if s.district_code == district_code]
    assert all(s.seat_source in ("geonames", "curated") for s in streets), [
        s.name for s in streets if s.seat_source == "district_interior"
    ]


def test_nanping_geonames_point_went_to_the_town_and_the_street_is_hand_placed():
    streets = {s.code: s for s in load_streets()}
    assert (streets["500108101"].seat_source, streets["500108101"].geonameid) == ("geonames", 1909734)
    assert streets["500108003"].seat_source == "curated"
