"""Database fixtures shared by every test package: the same tests run on SQLite and PostgreSQL.

`backend` is parametrised over both; PostgreSQL tests carry the `postgres` marker and are
skipped (with the reason) only when the server is unreachable. Each PostgreSQL database
is created fresh under a random name and dropped at the end, so parallel runs never share
state. Set ONETHING_TEST_PG_URL to use another server (any database there; it is only used
to create and drop the test databases).
"""

import base64
import os
import secrets
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from models.store.engine import make_engine
from models.store.migrate import upgrade

# One fixed payload key for the whole test session (and the worker subprocesses it starts),
# so every client, worker and recorded history agrees; never a deployment's key.
# Workflow code runs in Temporal's determinism sandbox throughout the suite (workers,
# including the dev stack's worker processes, inherit this), whatever production chooses.
os.environ["ONETHING_WORKFLOW_SANDBOX"] = "true"
os.environ.setdefault("ONETHING_PAYLOAD_KEY", base64.b64encode(b"onething-tests-payload-key-32byt").decode())

PG_ADMIN_URL = os.environ.get(
    "ONETHING_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def create_database(tmp_path_factory) -> Iterator[Callable[[str], str]]:
    """A factory: `create_database("sqlite" | "postgres")` → URL of a new, empty database."""
    admin: Engine | None = None
    created: list[str] = []
    unreachable: list[str] = []

    def create(backend: str) -> str:
        nonlocal admin
        name = f"onething_test_{secrets.token_hex(6)}"
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / (name + '.db')}"
        if unreachable:
            pytest.skip(unreachable[0])
        if admin is None:
            admin = create_engine(
                PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
            )
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as error:  # noqa: BLE001  (any failure here means "no server")
            unreachable.append(f"PostgreSQL unreachable at {PG_ADMIN_URL}: {error}")
            pytest.skip(unreachable[0])
        created.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    yield create
    if admin is not None:
        if created:
            with admin.connect() as connection:
                for name in created:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def backend(request) -> str:
    return request.param


@pytest.fixture
def empty_db_url(backend: str, create_database) -> str:
    """A database with no tables, new for each test."""
    return create_database(backend)


@pytest.fixture(scope="session")
def db_url(backend: str, create_database) -> str:
    """A database migrated to head, shared by the session's tests on that backend."""
    url = create_database(backend)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()
