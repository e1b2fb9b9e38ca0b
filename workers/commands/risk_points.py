"""`onething risk-points import`: a city's own 风险点 list into the registry.

Exit code 2 means the file was rejected (nothing written), as for the geography imports.
"""

from pathlib import Path

import typer

from models.store.engine import make_engine, session_scope
from models.store.risk_point_import import RiskPointImportError, import_risk_points
from workers.commands.geo import REJECTED, CrsOption


def register(app: typer.Typer) -> None:
    points = typer.Typer(no_args_is_help=True, help="风险点 risk points patrolled under rainstorm warnings.")

    @points.command("import")
    def import_command(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="GeoJSON points or CSV (id,name,kind,lon,lat[,note])."),
        crs: CrsOption = typer.Option(CrsOption.wgs84, help="CRS of the coordinates."),
        url: str | None = typer.Option(None, help="SQLAlchemy URL; defaults to the configured database."),
    ) -> None:
        """Add or update risk points; district and street come from where each point lies."""
        engine = make_engine(url)
        try:
            with session_scope(engine) as session:
                count = import_risk_points(session, file, crs.value)
        except RiskPointImportError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(REJECTED) from None
        finally:
            engine.dispose()
        typer.echo(f"{count} risk points imported from {file.name}")

    app.add_typer(points, name="risk-points")
