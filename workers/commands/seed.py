"""`onething seed`: fill the store with the reproducible sample registry (样例 data)."""

from datetime import datetime

import typer

from models.store.engine import make_engine, session_scope
from models.store.seed import (
    DEFAULT_SITES,
    DEFAULT_START,
    DirectoryNotLoaded,
    SampleCollision,
    sample_fingerprint,
    seed_registry,
)


def register(app: typer.Typer) -> None:
    @app.command("seed")
    def seed_command(
        seed: int = typer.Option(7, help="Random seed; the same seed always gives the same rows."),
        sites: int = typer.Option(DEFAULT_SITES, min=1, help="Number of construction sites."),
        start: datetime = typer.Option(
            datetime.combine(DEFAULT_START, datetime.min.time()),
            formats=["%Y-%m-%d"],
            help="First day of the duty roster; permits are valid or expired around it.",
        ),
        url: str | None = typer.Option(None, help="SQLAlchemy URL; defaults to the configured database."),
    ) -> None:
        """Replace the sample sites, permits, trucks, cameras, officers and roster (run `db upgrade` first)."""
        engine = make_engine(url)
        try:
            with session_scope(engine) as session:
                counts = seed_registry(session, seed=seed, sites=sites, start=start.date())
                fingerprint = sample_fingerprint(session)
        except (DirectoryNotLoaded, SampleCollision) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None
        finally:
            engine.dispose()
        typer.echo(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts))
        typer.echo(f"sample fingerprint {fingerprint[:16]} (seed {seed}, start {start.date()})")
