"""The store: articles and their records in a SQL database (persistence only).

SQLite by default (WAL, FTS5 full-text search), any SQLAlchemy URL otherwise
(PostgreSQL is tested). Opening a `Store` migrates the database to the newest schema.
`store.py` says which module holds which tables.
"""
from .db import ConflictError, StoreError, alembic_config, default_url, make_engine
from .review import ReviewError
from .rows import looks_like_organisation, surrounding_sentence
from .store import Store

__all__ = ["ConflictError", "ReviewError", "Store", "StoreError", "alembic_config", "default_url",
           "looks_like_organisation", "make_engine", "surrounding_sentence"]
