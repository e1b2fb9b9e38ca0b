"""`onething detect` and `onething vision build` as a user runs them."""

import json

from typer.testing import CliRunner

from workers.cli import app

runner = CliRunner()


def test_detect_prints_detections_as_json(manifest, sample):
    result = runner.invoke(app, ["detect", str(sample("dog.jpg"))])
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.output)
    assert {d["label"] for d in analysis["detections"]} == {"truck", "dog", "bicycle"}
    assert {m["sha256"] for m in analysis["models"]} == {m.sha256 for m in manifest.models.values()}
    assert set(analysis["timings"]) == {"decode", "preprocess", "inference", "postprocess", "plates"}


def test_detect_refuses_what_is_not_an_image(manifest, tmp_path):
    bad = tmp_path / "frame.jpg"
    bad.write_bytes(b"not a jpeg")
    result = runner.invoke(app, ["detect", str(bad)])
    assert result.exit_code == 2 and "not a decodable image" in result.output


def test_vision_build_is_a_no_op_when_built(manifest, models_dir):
    result = runner.invoke(app, ["vision", "build", "--models-dir", str(models_dir)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["vehicle-detector"]["sha256"] == manifest.models["vehicle-detector"].sha256
