"""`onething db`: schema migrations and the directory load.

`upgrade` is the one command a fresh install or a deployment runs: it migrates the
schema and (re)loads the district/street directory, both idempotent.
"""

import typer

from models.store.directory_load import load_directory
from models.store.engine import make_engine, session_scope
from models.store.migrate import new_revision, upgrade

URL_HELP = "SQLAlchemy URL; defaults to DATABASE_URL / ONETHING_DATABASE_URL, else SQLite under ONETHING_HOME."


def register(app: typer.Typer) -> None:
    db = typer.Typer(no_args_is_help=True, help="The relational store: migrations and directory.")

    @db.command("upgrade")
    def upgrade_command(url: str | None = typer.Option(None, help=URL_HELP)) -> None:
        """Migrate the schema to the latest revision and load districts and streets."""
        upgrade(url)
        engine = make_engine(url)
        try:
            with session_scope(engine) as session:
                counts = load_directory(session)
        finally:
            engine.dispose()
        typer.echo(
            f"schema at head; directory loaded: {counts.districts} districts, "
            f"{counts.handling_units} handling units, {counts.streets} streets"
        )

    @db.command("revision")
    def revision_command(
        message: str = typer.Option(..., "-m", "--message", help="What the revision changes."),
    ) -> None:
        """Autogenerate a migration for table changes; review the file before committing."""
        for path in new_revision(message):
            typer.echo(f"wrote {path}")

    app.add_typer(db, name="db")
