"""Alembic environment, configured from code (no alembic.ini): see summitry.store.db.

The Store hands over its own open connection in `config.attributes["connection"]`,
so migrations run with the same SQLite settings (foreign keys, transactional DDL).
Run from the `alembic` command line instead, it opens an engine from the URL.
"""
from __future__ import annotations

from alembic import context

from summitry.store.db import make_engine
from summitry.store.models import Base


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("summitry migrations run online only (they backfill data)")
run_migrations_online()
