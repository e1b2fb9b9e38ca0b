"""Insert-or-update that is a single statement on both SQLite and PostgreSQL.

Activities are retried and loaders are re-run, so writes must be idempotent; a native
`ON CONFLICT` avoids the read-then-write race two workers would otherwise have.
"""

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert
from sqlmodel import Session, SQLModel

_DIALECT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def upsert(
    session: Session,
    model: type[SQLModel],
    rows: Iterable[Mapping[str, Any]],
    keys: Sequence[str],
    *,
    keep: Sequence[str] = (),
    newer: str | None = None,
) -> int:
    """Insert `rows`; on a conflict over `keys` overwrite every other column except `keep`.

    With `newer`, a conflicting row is overwritten only when its `newer` column is greater
    than the stored one, so a late retry of an older write cannot undo a newer one.

    Returns how many rows were sent. One statement executed with many parameter sets, so
    it is compiled once and SQLAlchemy batches it within each backend's parameter limit.
    """
    rows = list(rows)
    if not rows:
        return 0
    session.execute(_statement(session.get_bind().dialect.name, model, tuple(keys), tuple(keep), newer), rows)
    return len(rows)


@lru_cache(maxsize=64)
def _statement(dialect: str, model: type[SQLModel], keys: tuple[str, ...], keep: tuple[str, ...], newer: str | None) -> Insert:
    """Built once per shape: making the `excluded` column proxies cost more CPU than the
    write itself (a third of a case's store time in the lifecycle benchmark)."""
    try:
        insert = _DIALECT_INSERTS[dialect]
    except KeyError:
        raise NotImplementedError(f"upsert is not implemented for {dialect}") from None
    table = model.__table__
    statement = insert(table)
    updates = {
        column.name: statement.excluded[column.name]
        for column in table.columns
        if column.name not in keys and column.name not in keep and not column.primary_key
    }
    if updates:
        where = table.c[newer] < statement.excluded[newer] if newer else None
        return statement.on_conflict_do_update(index_elements=keys, set_=updates, where=where)
    return statement.on_conflict_do_nothing(index_elements=keys)
