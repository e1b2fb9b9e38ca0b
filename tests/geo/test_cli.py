"""The geo commands end to end through typer, on a small app holding only them."""

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from models.geo.crs import from_wgs84
from models.settings import get_settings
from workers.commands import geo

runner = CliRunner()

JIEFANGBEI_SQUARE = [(106.575, 29.555), (106.579, 29.555), (106.579, 29.559), (106.575, 29.559), (106.575, 29.555)]


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    geo.register(app)
    return app


def _collection(*features, **extra) -> dict:
    return {"type": "FeatureCollection", **extra, "features": list(features)}


def _feature(code, ring, key="code") -> dict:
    return {"type": "Feature", "properties": {key: code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _write(tmp_path: Path, collection: dict) -> Path:
    path = tmp_path / "official.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def test_locate_prints_one_json_object(app, onething_home):
    result = runner.invoke(app, ["locate", "106.577", "29.557"])
    assert result.exit_code == 0, result.output
    location = json.loads(result.stdout)
    assert location["district_code"] == "500103" and location["district_name"] == "渝中区"
    assert location["street_code"] == "500103003" and location["street_name"] == "解放碑街道"
    assert location["handling_unit_code"] == "500103" and location["approximate"] is True


def test_locate_accepts_gcj02(app, onething_home):
    lon, lat = from_wgs84(106.577, 29.557, "gcj02")
    result = runner.invoke(app, ["locate", str(lon), str(lat), "--crs", "gcj02"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["street_name"] == "解放碑街道"


def test_locate_outside_chongqing_exits_2_with_message_on_stderr(app, onething_home):
    result = runner.invoke(app, ["locate", "104.066", "30.572"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "outside Chongqing" in result.stderr and "104.066" in result.stderr


def test_import_then_locate_is_exact(app, onething_home, tmp_path):
    source = _write(tmp_path, _collection(_feature("500103003", JIEFANGBEI_SQUARE)))
    result = runner.invoke(app, ["data", "import-streets", str(source)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 1
    overlay = get_settings().street_boundaries_path
    assert overlay == onething_home / "geo" / "official_streets.geojson" and overlay.exists()

    location = json.loads(runner.invoke(app, ["locate", "106.577", "29.557"]).stdout)
    assert location["street_code"] == "500103003" and location["approximate"] is False
    elsewhere = json.loads(runner.invoke(app, ["locate", "106.5625", "29.5585"]).stdout)
    assert elsewhere["district_code"] == "500103" and elsewhere["approximate"] is True


def test_import_converts_a_declared_gcj02_file(app, onething_home, tmp_path):
    ring = [from_wgs84(lon, lat, "gcj02") for lon, lat in JIEFANGBEI_SQUARE]
    source = _write(tmp_path, _collection(_feature(500103003, ring, key="jdcode"), crs="gcj02"))
    result = runner.invoke(app, ["data", "import-streets", str(source), "--code-property", "jdcode"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["crs"] == "gcj02"
    stored = json.loads(get_settings().street_boundaries_path.read_text(encoding="utf-8"))
    first_vertex = stored["features"][0]["geometry"]["coordinates"][0][0][0]
    assert first_vertex == pytest.approx(list(JIEFANGBEI_SQUARE[0]), abs=1e-6)


BOWTIE = [(106.575, 29.555), (106.579, 29.559), (106.579, 29.555), (106.575, 29.559), (106.575, 29.555)]
IN_WANZHOU = [(108.39, 30.80), (108.41, 30.80), (108.41, 30.82), (108.39, 30.82), (108.39, 30.80)]


@pytest.mark.parametrize(
    ("collection", "message"),
    [
        (_collection(_feature("500199999", JIEFANGBEI_SQUARE)), "unknown street code"),
        (_collection(_feature("500103003", BOWTIE)), "invalid polygon"),
        (_collection(_feature("500103003", IN_WANZHOU)), "outside its district 500103"),
        (_collection({"type": "Feature", "properties": {}, "geometry": None}), "no 'code' property"),
        (_collection(_feature("500103003", JIEFANGBEI_SQUARE), _feature("500103003", JIEFANGBEI_SQUARE)), "appears twice"),
        (_collection(_feature("500103003", JIEFANGBEI_SQUARE), crs={"type": "name", "properties": {"name": "EPSG:3857"}}), "unrecognised crs"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        (_collection(), "no features"),
    ],
)
def test_bad_files_are_rejected_and_nothing_is_written(app, onething_home, tmp_path, collection, message):
    good = _feature("500101001", IN_WANZHOU)
    if collection.get("features"):
        collection = {**collection, "features": [good, *collection["features"]]}
    result = runner.invoke(app, ["data", "import-streets", str(_write(tmp_path, collection))])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "nothing written" in result.stderr
    assert not get_settings().street_boundaries_path.exists()


def test_unreadable_file_is_rejected(app, onething_home, tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["data", "import-streets", str(broken)])
    assert result.exit_code == 2 and "cannot read GeoJSON" in result.stderr
