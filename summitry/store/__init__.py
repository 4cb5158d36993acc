"""The store: articles and their extracted records in a SQL database.

SQLite by default (WAL, FTS5 full-text search), any SQLAlchemy URL otherwise
(PostgreSQL is tested). Opening a `Store` migrates the database to the newest schema.
"""
from .api import Store, looks_like_organisation, surrounding_sentence
from .db import ConflictError, StoreError, alembic_config, default_url, make_engine
from .review import ReviewError

__all__ = ["Store", "StoreError", "ReviewError", "alembic_config", "default_url", "make_engine",
           "looks_like_organisation", "surrounding_sentence"]
