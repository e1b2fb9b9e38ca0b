"""The data build: reproducible from the pinned inputs, and its pieces behave on small cases."""

import hashlib
from pathlib import Path

import pytest
import shapely

from models.geo.build import GENERATED_FILES, build
from models.geo.directory import DATA_DIR
from models.geo.seats import name_key, snap_into
from models.geo.service_areas import voronoi_service_areas
from models.geo.sources import CHINA_DIVISION, PINNED_ARTIFACTS, BuildInputError, fetch, sha256_of
from models.settings import get_settings

CACHE = get_settings().home / "cache"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(
    not all((CACHE / artifact.filename).exists() for artifact in PINNED_ARTIFACTS),
    reason=f"pinned inputs not cached in {CACHE}; run `onething data build` once with registry access",
)
def test_build_reproduces_committed_data_byte_for_byte(tmp_path):
    """The committed files came from an earlier run, so equal hashes prove run-to-run determinism."""
    first = build(CACHE, tmp_path)
    for name in GENERATED_FILES:
        assert _sha256(tmp_path / name) == _sha256(DATA_DIR / name), name
        assert first.files[name] == _sha256(DATA_DIR / name)
    assert first.districts == 38 and first.streets == 1031
    assert 880 <= first.seats_from_geonames <= 950
    assert first.seats_via_romanised_spelling == 8  # ROMANISED_SPELLINGS: every entry finds its street
    assert first.seats_from_other_province_rows == 1  # 丁山镇, filed under Guizhou by GeoNames
    assert sum(first.sizes.values()) < 5_000_000


def test_pinned_checksums_are_well_formed():
    for artifact in PINNED_ARTIFACTS:
        assert len(artifact.sha256) == 64 and int(artifact.sha256, 16) >= 0
        if (CACHE / artifact.filename).exists():
            assert sha256_of(CACHE / artifact.filename) == artifact.sha256


def test_a_tampered_cached_input_is_refused(tmp_path):
    (tmp_path / CHINA_DIVISION.filename).write_bytes(b"not the pinned tarball")
    with pytest.raises(BuildInputError, match="expected 210ad17e"):
        fetch(CHINA_DIVISION, tmp_path)


@pytest.mark.parametrize(
    ("name", "key"),
    [("朱沱镇", "朱沱"), ("解放碑街道", "解放碑"), ("石桥苗族土家族乡", "石桥"), ("地宝土家族乡", "地宝"),
     ("梓潼街道办事处", "梓潼"), ("朱沱", "朱沱"), ("镇", "镇")],
)
def test_name_key_strips_administrative_suffixes(name, key):
    assert name_key(name) == key


def test_voronoi_cells_partition_the_district_and_hold_their_seat():
    district = shapely.box(106.0, 29.0, 106.1, 29.1)
    seats = {"a": (106.02, 29.02), "b": (106.08, 29.03), "c": (106.05, 29.08)}
    areas = voronoi_service_areas(district, seats)
    assert list(areas) == ["a", "b", "c"]
    assert sum(area.area for area in areas.values()) == pytest.approx(district.area, rel=1e-6)
    for code, (lon, lat) in seats.items():
        assert areas[code].contains(shapely.Point(lon, lat))
    assert voronoi_service_areas(district, {"only": (106.05, 29.05)})["only"].area == pytest.approx(district.area)
    assert voronoi_service_areas(district, {}) == {}


def test_a_seat_just_over_the_border_is_moved_inside():
    district = shapely.box(106.0, 29.0, 106.1, 29.1)
    lon, lat, moved = snap_into(district, 106.1005, 29.05)
    assert district.contains(shapely.Point(lon, lat)) and 0 < moved < 300
    assert snap_into(district, 106.05, 29.05) == (106.05, 29.05, 0.0)
