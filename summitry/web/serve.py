"""`summitry serve`: run the web app on a database with uvicorn."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def serve(db: str | None, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          announce=print) -> None:
    """Serve the web app for the database at `db` (default: the CLI's default database).

    Blocks until stopped (Ctrl-C). Reading needs no token; writing (review) needs `token`,
    or, when none is given, one generated now and announced once (it is not stored).
    """
    import uvicorn

    from .app import create_app

    app = create_app(db, token=token)
    if token is None:
        announce(f"Write token for this run (log in at http://{host}:{port}/login): {app.state.write_token}")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


@contextmanager
def running_in_thread(db: str | None, timeout: float = 30, token: str | None = None) -> Iterator[str]:
    """The app served on 127.0.0.1 at a free port in a background thread, for browser tests
    and screenshots; yields its base URL and stops the server on exit."""
    import uvicorn

    from .app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, token=token), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
