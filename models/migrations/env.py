"""Alembic environment: migrations run online against `config.attributes["url"]`.

`render_as_batch` lets SQLite alter tables (it cannot drop or change columns in place);
it is harmless on PostgreSQL. Engines come from `make_engine` so the SQLite pragmas
(foreign keys on) also hold while migrating.
"""

from alembic import context
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import models.store  # noqa: F401  (registers every table on SQLModel.metadata)
from models.store.engine import make_engine


def render_item(kind: str, obj, _autogen_context) -> str | bool:
    """Render our column decorators (and sqlmodel's AutoString) as the plain SQLAlchemy
    type they store, so revisions depend on `sqlalchemy` alone and stay valid when the
    Python-side type changes."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def run_migrations() -> None:
    engine = make_engine(context.config.attributes["url"])
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=True,
                render_item=render_item,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations()
