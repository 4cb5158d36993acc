"""`summitry serve`: run the web app on a database with uvicorn."""
from __future__ import annotations


def serve(db: str | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the web app for the database at `db` (default: the CLI's default database).

    Blocks until stopped (Ctrl-C). Reading needs no token; the app has no write routes yet.
    """
    import uvicorn

    from .app import create_app

    uvicorn.run(create_app(db), host=host, port=port, log_level="info", server_header=False)
