"""Engines and migrations: where the database is, how to connect, how to bring it to head.

Alembic is configured from code (the scripts ship inside the package), so an installed
wheel can create and upgrade databases without an alembic.ini anywhere.
"""
from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session
from sqlalchemy.engine import URL, make_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# the execution option that marks a transaction as a writer's (see `_configure_sqlite`)
WRITE_OPTION = "summitry_write"
LOCK_KEY = 0x5317_4C4E  # PostgreSQL advisory lock of the store's serialised writers ("summitry link")
MIGRATION_LOCK_KEY = 0x5317_4D49  # and of migrations


class StoreError(Exception):
    """A database problem worth one clear line to the user (not a traceback)."""


class ConflictError(StoreError):
    """An input contradicts what is stored (an article id already stored with another text):
    a problem of that input, not of the database."""


def default_url() -> str:
    """`$SUMMITRY_DB` (a URL, or a file path meaning SQLite), else the XDG data directory."""
    configured = os.environ.get("SUMMITRY_DB", "").strip()
    if configured and "://" in configured:
        return configured
    if configured:
        path = Path(configured).expanduser().resolve()
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        path = Path(data_home) / "summitry" / "summitry.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def make_engine(url: str | URL) -> Engine:
    """An engine with summitry's connection settings (see `_configure_sqlite`)."""
    url = make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship with
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL (readers do not block the writer), foreign keys on, and real transactions.

    `synchronous = NORMAL` under WAL: a power cut may lose the last commits, never the
    database; every write here can be redone by running the command again.

    Python's sqlite3 driver (before 3.16) does not BEGIN before DDL or SELECT, so a failed
    migration would leave half a schema behind; the recipe from the SQLAlchemy docs hands
    BEGIN to SQLAlchemy instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # with WAL, NORMAL cannot corrupt the database; it only skips an fsync per commit
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # a writer takes the write lock now, and waits for it (busy_timeout), rather than
        # upgrading a read lock later, which SQLite refuses at once beside another writer
        write = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic config for summitry's packaged migrations (for `alembic.command`)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = make_url(url).render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))  # configparser syntax
    return cfg


def head_revision() -> str:
    """The newest schema revision this summitry ships: where opening a store leaves a database."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database to the newest schema, refusing one made by a newer summitry."""
    cfg = alembic_config(engine.url)
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    # Two processes opening a new database at once must not both create the schema: the
    # first takes the lock (SQLite's write lock; PostgreSQL's advisory lock), the second
    # waits for it and then finds the schema at head.
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if engine.dialect.name == "postgresql":
            advisory_xact_lock(connection, MIGRATION_LOCK_KEY)
        current = set(MigrationContext.configure(connection).get_current_heads())
        unknown = sorted(current - known)
        if unknown:
            raise StoreError(
                f"the database is at schema revision {', '.join(unknown)}, which this "
                f"version of summitry does not know (it knows up to {script.get_current_head()}); "
                "it was probably written by a newer summitry: upgrade summitry to open it")
        if current == set(script.get_heads()):
            return
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")



def advisory_xact_lock(executor: Session | Connection, key: int) -> None:
    """PostgreSQL only: wait for the advisory lock `key` (a bigint) and hold it until the
    transaction ends."""
    executor.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def one_writer(session: Session) -> None:
    """Writers that rewrite what others read (a link run, flag and contradiction refreshes,
    reviews) wait for each other: two link runs at once would create the same new meetings.

    PostgreSQL: a lock held until the transaction ends. SQLite: a first statement that writes
    (and changes nothing) takes the database's write lock before anything is read.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        advisory_xact_lock(session, LOCK_KEY)
    elif dialect == "sqlite":
        session.execute(text("DELETE FROM meeting_redirects WHERE 1 = 0"))
