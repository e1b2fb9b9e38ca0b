from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import models.store  # noqa: F401  (registers the tables)
from models.store.engine import make_engine
from models.store.migrate import upgrade


def test_upgrade_from_empty_creates_every_table_and_matches_the_models(empty_db_url):
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as connection:
            assert set(SQLModel.metadata.tables) <= set(inspect(connection).get_table_names())
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_twice_is_a_no_op(empty_db_url):
    upgrade(empty_db_url)
    upgrade(empty_db_url)
