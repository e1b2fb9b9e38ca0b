"""Store tests get their own migrated, directory-loaded database per backend, so a seed
here never races with other packages' rows in the shared `engine`."""

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from models.store.directory_load import load_directory
from models.store.engine import make_engine, session_scope
from models.store.migrate import upgrade

SEED = 7


@pytest.fixture(scope="session")
def store_engine(backend: str, create_database) -> Iterator[Engine]:
    url = create_database(backend)
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        load_directory(session)
    yield engine
    engine.dispose()
