"""Seat matching: GeoNames rows the plain name comparison misses, rejected pairs, curated seats."""

import io
import tarfile

import pytest
import shapely

from models.geo.build import _resolve_seats
from models.geo.seats import REJECTED_MATCHES, ROMANISED_SPELLINGS, CuratedSeat, MatchQuality, match_seats
from models.geo.sources import BuildInputError, GeoNamesPlace, RawStreet, read_geonames_places

DISTRICT = shapely.MultiPolygon([shapely.box(106.4, 29.3, 106.6, 29.5)])
DISTRICTS = {"500113": DISTRICT}


def _place(geonameid: int, name: str, chinese: list[str], lon: float = 106.52, lat: float = 29.39) -> GeoNamesPlace:
    return GeoNamesPlace(geonameid=geonameid, name=name, chinese_names=chinese, lon=lon, lat=lat, feature_code="PPL")


def test_a_row_with_only_a_romanised_name_matches_through_the_spelling_table():
    """GeoNames 1785964 "Yudong" has no Chinese spelling; before the table 鱼洞街道 had no seat."""
    assert ROMANISED_SPELLINGS[1785964] == ("Yudong", "鱼洞")
    streets = [RawStreet(code="500113004", name="鱼洞街道", district_code="500113")]
    matches = match_seats(streets, [_place(1785964, "Yudong", [])], DISTRICTS)
    match = matches["500113004"]
    assert (match.geonameid, match.quality, match.romanised) == (1785964, MatchQuality.SAME_KEY, True)
    # A romanised row that is not in the table stays unmatched: no guessing from pinyin.
    assert match_seats(streets, [_place(999, "Yudong", [])], DISTRICTS) == {}


def test_a_spelling_table_entry_that_no_longer_fits_its_row_stops_the_build():
    streets = [RawStreet(code="500113004", name="鱼洞街道", district_code="500113")]
    with pytest.raises(BuildInputError, match="1785964.*review the entry"):
        match_seats(streets, [_place(1785964, "Yutong", [])], DISTRICTS)
    with pytest.raises(BuildInputError, match="1785964"):
        match_seats(streets, [_place(1785964, "Yudong", ["鱼洞"])], DISTRICTS)


def test_a_rejected_pair_leaves_the_place_to_the_other_street_of_that_name():
    """GeoNames 南坪 fits 南坪街道 and 南坪镇; the pair with 南坪街道 is rejected, so 南坪镇 gets it."""
    assert ("500108003", 1909734) in REJECTED_MATCHES
    streets = [
        RawStreet(code="500108003", name="南坪街道", district_code="500108"),
        RawStreet(code="500108101", name="南坪镇", district_code="500108"),
    ]
    matches = match_seats(streets, [_place(1909734, "Nanping", ["南坪"])], {"500108": DISTRICT})
    assert list(matches) == ["500108101"]


def _cities500(tmp_path, rows: list[str]):
    path = tmp_path / "cities-500.tgz"
    data = "".join(row + "\n" for row in rows).encode()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("package/dist/cities500.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def _row(geonameid: int, name: str, alternates: str, lat: float, lon: float, country: str, admin1: str) -> str:
    return "\t".join([str(geonameid), name, name, alternates, str(lat), str(lon), "P", "PPLA4", country, "", admin1]
                     + [""] * 8)


def test_rows_filed_under_another_province_count_only_inside_chongqing(tmp_path):
    """丁山镇 (綦江区) is filed under Guizhou (admin1 18); its neighbours across the border stay out."""
    archive = _cities500(tmp_path, [
        _row(1, "Chongqing row", "甲", 29.4, 106.5, "CN", "33"),
        _row(12489734, "Dingshan", "丁山,丁山镇", 29.4, 106.45, "CN", "18"),
        _row(3, "Guizhou row", "乙", 28.0, 106.5, "CN", "18"),
        _row(4, "Elsewhere", "丙", 29.4, 106.5, "TW", "33"),
    ])
    assert [p.geonameid for p in read_geonames_places(archive)] == [1]
    places = read_geonames_places(archive, DISTRICT)
    assert [(p.geonameid, p.admin1) for p in places] == [(1, "33"), (12489734, "18")]
    assert places[1].chinese_names == ["丁山", "丁山镇"]


def test_a_curated_seat_must_lie_inside_its_district_and_not_duplicate_geonames():
    streets = [RawStreet(code="500113004", name="鱼洞街道", district_code="500113"),
               RawStreet(code="500113009", name="南彭街道", district_code="500113")]
    inside = CuratedSeat(code="500113009", name="南彭街道", lon=106.5, lat=29.4, landmark="test")
    seats = _resolve_seats(streets, {}, [inside], DISTRICTS)
    assert (seats["500113009"].source, seats["500113009"].lon) == ("curated", 106.5)
    outside = inside.model_copy(update={"lon": 106.7})
    with pytest.raises(BuildInputError, match="lies outside its district"):
        _resolve_seats(streets, {}, [outside], DISTRICTS)
    geonames = match_seats(streets, [_place(1914252, "Nanpeng", [])], DISTRICTS)
    with pytest.raises(BuildInputError, match="duplicates a GeoNames seat"):
        _resolve_seats(streets, geonames, [inside], DISTRICTS)
    misnamed = inside.model_copy(update={"name": "南坪街道"})
    with pytest.raises(BuildInputError, match="does not match the NBS table"):
        _resolve_seats(streets, {}, [misnamed], DISTRICTS)
