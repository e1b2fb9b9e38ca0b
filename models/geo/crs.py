"""Coordinate reference systems met in Chinese city data, and exact conversion to WGS84.

Cameras, officers' phones and map vendors report positions in one of three systems:
WGS84 (GPS), GCJ-02 (the state-mandated obfuscation used by AMap/Tencent) or BD-09
(Baidu's further offset). The published GCJ-02 formula only goes WGS84 → GCJ-02, so the
way back is a fixed-point iteration on the forward function; it converges to ~1e-9° in a
handful of steps, far below the ~0.5 m the one-step approximation leaves.
"""

import math
from typing import Literal

Crs = Literal["wgs84", "gcj02", "bd09"]

_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323
_BD_DLON = 0.0065
_BD_DLAT = 0.0060
_INVERSE_TOLERANCE_DEG = 1e-10
_INVERSE_MAX_STEPS = 30


def _in_china(lon: float, lat: float) -> bool:
    """GCJ-02 leaves coordinates outside China untouched; this is the customary bounding box."""
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def _gcj_offset_metres(x: float, y: float) -> tuple[float, float]:
    """The published GCJ-02 distortion, in metres east and north, of (lon-105, lat-35)."""
    north = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
        + (
            2.0 * math.sin(6.0 * x * math.pi) + 2.0 * math.sin(2.0 * x * math.pi)
            + 2.0 * math.sin(y * math.pi) + 4.0 * math.sin(y / 3.0 * math.pi)
            + 16.0 * math.sin(y / 12.0 * math.pi) + 32.0 * math.sin(y / 30.0 * math.pi)
        ) * 20.0 / 3.0
    )
    east = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
        + (
            2.0 * math.sin(6.0 * x * math.pi) + 2.0 * math.sin(2.0 * x * math.pi)
            + 2.0 * math.sin(x * math.pi) + 4.0 * math.sin(x / 3.0 * math.pi)
            + 15.0 * math.sin(x / 12.0 * math.pi) + 30.0 * math.sin(x / 30.0 * math.pi)
        ) * 20.0 / 3.0
    )
    return east, north


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if not _in_china(lon, lat):
        return lon, lat
    east, north = _gcj_offset_metres(lon - 105.0, lat - 35.0)
    rad_lat = math.radians(lat)
    magic = 1.0 - _KRASOVSKY_EE * math.sin(rad_lat) ** 2
    metres_per_deg_lat = math.radians(_KRASOVSKY_A * (1.0 - _KRASOVSKY_EE) / magic**1.5)
    metres_per_deg_lon = math.radians(_KRASOVSKY_A * math.cos(rad_lat) / math.sqrt(magic))
    return lon + east / metres_per_deg_lon, lat + north / metres_per_deg_lat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    r = math.hypot(lon, lat) + 0.00002 * math.sin(lat * math.pi * 3000.0 / 180.0)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * math.pi * 3000.0 / 180.0)
    return r * math.cos(theta) + _BD_DLON, r * math.sin(theta) + _BD_DLAT


def _invert(forward, lon: float, lat: float) -> tuple[float, float]:
    """Solve forward(x) = (lon, lat) by fixed-point steps; the offsets vary slowly, so it converges fast."""
    guess_lon, guess_lat = lon, lat
    for _ in range(_INVERSE_MAX_STEPS):
        fwd_lon, fwd_lat = forward(guess_lon, guess_lat)
        d_lon, d_lat = fwd_lon - lon, fwd_lat - lat
        guess_lon, guess_lat = guess_lon - d_lon, guess_lat - d_lat
        if abs(d_lon) < _INVERSE_TOLERANCE_DEG and abs(d_lat) < _INVERSE_TOLERANCE_DEG:
            break
    return guess_lon, guess_lat


def _wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, crs: Crs) -> tuple[float, float]:
    """Convert a (lon, lat) in `crs` to WGS84, exact to ~1e-9° inside China."""
    if crs == "wgs84":
        return lon, lat
    if crs == "gcj02":
        return _invert(wgs84_to_gcj02, lon, lat)
    if crs == "bd09":
        return _invert(_wgs84_to_bd09, lon, lat)
    raise ValueError(f"unknown CRS {crs!r}; expected one of wgs84, gcj02, bd09")


def from_wgs84(lon: float, lat: float, crs: Crs) -> tuple[float, float]:
    """Express a WGS84 (lon, lat) in `crs`, e.g. to hand a point to an AMap or Baidu map."""
    if crs == "wgs84":
        return lon, lat
    if crs == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if crs == "bd09":
        return _wgs84_to_bd09(lon, lat)
    raise ValueError(f"unknown CRS {crs!r}; expected one of wgs84, gcj02, bd09")
