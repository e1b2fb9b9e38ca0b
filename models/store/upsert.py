"""Insert-or-update that is a single statement on both SQLite and PostgreSQL.

Activities are retried and loaders are re-run, so writes must be idempotent; a native
`ON CONFLICT` avoids the read-then-write race two workers would otherwise have.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
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
    dialect = session.get_bind().dialect.name
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
        statement = statement.on_conflict_do_update(index_elements=keys, set_=updates, where=where)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    session.execute(statement, rows)
    return len(rows)
