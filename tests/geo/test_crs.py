"""GCJ-02 / BD-09 conversion: forward values match the reference implementation, inverses are exact."""

import pytest

from models.geo.crs import from_wgs84, to_wgs84

# Forward values computed with prcoords 1.0.2 (wgs_gcj / wgs_bd), an independent implementation.
REFERENCE = [
    ((106.577, 29.557), (106.58068785210288, 29.554111835458745), (106.58716514222965, 29.56026685283559)),
    ((108.38, 30.81), (108.38458004218234, 30.807729632493768), (108.39103506200973, 30.81381524402421)),
    ((104.066, 30.572), (104.06850396764123, 30.569544722617017), (104.07497760746112, 30.575563518180704)),
    ((110.2, 32.2), (110.20508739411578, 32.19784472044515), (110.21167360828504, 32.20361501498006)),
]


@pytest.mark.parametrize(("wgs", "gcj", "bd"), REFERENCE)
def test_forward_matches_reference(wgs, gcj, bd):
    assert from_wgs84(*wgs, "gcj02") == pytest.approx(gcj, abs=1e-12)
    assert from_wgs84(*wgs, "bd09") == pytest.approx(bd, abs=1e-12)


@pytest.mark.parametrize(("wgs", "gcj", "bd"), REFERENCE)
def test_inverse_recovers_wgs84(wgs, gcj, bd):
    assert to_wgs84(*gcj, "gcj02") == pytest.approx(wgs, abs=1e-7)
    assert to_wgs84(*bd, "bd09") == pytest.approx(wgs, abs=1e-7)


def test_round_trips_across_chongqing_are_below_a_micro_degree():
    worst = 0.0
    for i in range(21):
        for j in range(21):
            lon, lat = 105.2 + i * 0.25, 28.1 + j * 0.2
            for crs in ("gcj02", "bd09"):
                back = to_wgs84(*from_wgs84(lon, lat, crs), crs)
                worst = max(worst, abs(back[0] - lon), abs(back[1] - lat))
    assert worst < 1e-6


def test_offsets_are_hundreds_of_metres_in_chongqing():
    """The obfuscation is real: GCJ-02 moves a Chongqing point by roughly 300-600 m."""
    gcj = from_wgs84(106.577, 29.557, "gcj02")
    assert 0.002 < abs(gcj[0] - 106.577) < 0.006
    assert 0.002 < abs(gcj[1] - 29.557) < 0.006


def test_wgs84_is_identity_and_outside_china_is_untouched():
    assert to_wgs84(106.5, 29.5, "wgs84") == (106.5, 29.5)
    assert from_wgs84(2.35, 48.85, "gcj02") == (2.35, 48.85)
    assert to_wgs84(2.35, 48.85, "gcj02") == (2.35, 48.85)


def test_unknown_crs_is_rejected():
    with pytest.raises(ValueError, match="unknown CRS"):
        to_wgs84(106.5, 29.5, "epsg3857")
