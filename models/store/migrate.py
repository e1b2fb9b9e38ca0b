"""Schema migrations, driven from code so `onething db ...` works from any directory.

There is no alembic.ini: the configuration is built here, pointing at the migrations
shipped inside the package, and the target URL travels in `Config.attributes` (not the
ini options, where a `%` in a password would be read as interpolation).
"""

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from models.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option(
        "file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"
    )
    config.attributes["url"] = url or get_settings().resolved_database_url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `url` (the configured one when omitted) up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def new_revision(message: str) -> list[Path]:
    """Autogenerate a revision for table changes not yet covered by a migration.

    The diff is taken against a scratch SQLite database upgraded to head, not against the
    configured database, so the result depends only on the code and the existing
    revisions. Review the generated file before committing it.
    """
    with tempfile.TemporaryDirectory() as scratch:
        config = alembic_config(f"sqlite:///{Path(scratch) / 'head.db'}")
        command.upgrade(config, "head")
        scripts = command.revision(config, message=message, autogenerate=True)
    scripts = scripts if isinstance(scripts, list) else [scripts]
    return [Path(script.path) for script in scripts if script is not None]
