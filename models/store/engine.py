"""Database engine and sessions for the relational store.

SQLite is the embedded default (one laptop, several worker processes sharing one file),
PostgreSQL the deployment target; the same code runs on both, so the backend-specific
tuning lives here and nowhere else.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from models.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (the configured database when omitted).

    Several worker processes write the same SQLite file, hence WAL plus a busy timeout;
    foreign keys are off by default in SQLite and must be switched on per connection.
    """
    url = url or get_settings().resolved_database_url
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block succeeds, rolled back when it raises."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The process-wide engine for the configured database, so pools are shared."""
    return make_engine()
