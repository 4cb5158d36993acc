"""`summitry serve`: run the web app on a database with uvicorn, hardened against clients
that connect and never finish (slowloris).

uvicorn's own settings bound what a connection may cost once its request is in (headers of
at most 16 KB, `h11_max_incomplete_event_size`; 5 s idle between requests,
`timeout_keep_alive`), and summitry.web.guard bounds the body (size, idle and total time).
What uvicorn lacks is a deadline for the request line and headers and a cap on connections
that does not turn away real clients: with the common limit of 1,024 open files, 1,050
half-sent requests made every real request time out. `GuardedH11Protocol` adds both:

- a connection must finish its request headers within HEADER_SECONDS of connecting (or of
  its previous response); otherwise it is closed;
- at most `max_connections` are open at once (kept under the open-file limit, so accept()
  never fails); a new connection beyond that closes the connection that has waited longest
  for its headers, so that idle sockets make way for clients that send a request. Only when
  every connection is busy with a request is the new one closed.

uvicorn's `limit_concurrency` is not used for this: it answers 503 to every new request
while the half-open sockets are counted, which is the starvation it should prevent.
"""
from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0  # to send the request line and headers
KEEP_ALIVE_SECONDS = 5  # idle between two requests on one connection
MAX_HEADER_BYTES = 16 * 1024  # request line and headers
MAX_CONNECTIONS = 1000
# asyncio accepts up to `backlog` connections at a time before any of them reaches the
# protocol (and its cap): the open-file limit must leave room for one such burst, plus the
# files of the database, the logs and the listening socket
ACCEPT_BURST = 128
FILE_MARGIN = ACCEPT_BURST + 100


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a header deadline and a connection cap that evicts
    the longest-waiting idle connection (see the module's docstring)."""

    header_seconds = HEADER_SECONDS
    max_connections = MAX_CONNECTIONS

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._waiting_since: float | None = None  # when it began waiting for headers
        self._scope_seen: Any = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()
        if len(self.connections) > self.max_connections:
            self._make_room()

    def _make_room(self) -> None:
        """Close the connection (this one included) that has waited longest for headers;
        without any, close this one: every other connection is serving a request."""
        waiting = [c for c in self.connections
                   if isinstance(c, GuardedH11Protocol) and c._waiting_since is not None]
        victim = min(waiting, key=lambda c: c._waiting_since, default=self)
        victim._drop()

    def _await_headers(self) -> None:
        """Start the header deadline: the next request's headers must come in time."""
        self._cancel_header_timer()
        self._waiting_since = time.monotonic()
        self._scope_seen = self.scope
        self._header_timer = self.loop.call_later(self.header_seconds, self._drop)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        self._waiting_since = None

    def _drop(self) -> None:
        self._cancel_header_timer()
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._waiting_since is not None and self.scope is not self._scope_seen:
            self._cancel_header_timer()  # a new request's headers are complete

    def on_response_complete(self) -> None:
        before = self.scope
        super().on_response_complete()
        # a keep-alive connection waits for its next request's headers, under uvicorn's
        # keep-alive timeout until its first byte and under ours until its last
        if not self.transport.is_closing() and self.scope is before:
            self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)


def raise_open_file_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit; the soft limit now
    (the number of connections must stay below it)."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return MAX_CONNECTIONS + FILE_MARGIN
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft


def guarded_protocol(max_connections: int, header_seconds: float = HEADER_SECONDS) -> type[GuardedH11Protocol]:
    """The protocol class with these limits (a subclass: the limits belong to one server)."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,),
                {"max_connections": max_connections, "header_seconds": header_seconds})


def server_config(app: Any, host: str, port: int, *, log_level: str = "info",
                  max_connections: int = MAX_CONNECTIONS, header_seconds: float = HEADER_SECONDS):
    """The uvicorn configuration `summitry serve` runs with (see the module's docstring)."""
    import uvicorn

    room = raise_open_file_limit() - FILE_MARGIN
    return uvicorn.Config(
        app, host=host, port=port, log_level=log_level, server_header=False,
        http=guarded_protocol(max(1, min(max_connections, room)), header_seconds),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        ws="none",  # no page uses websockets
        backlog=ACCEPT_BURST,
        lifespan="on",
    )


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
    uvicorn.Server(server_config(app, host, port)).run()


@contextmanager
def running_in_thread(db: str | None, timeout: float = 30, token: str | None = None,
                      **limits: Any) -> Iterator[str]:
    """The app served on 127.0.0.1 at a free port in a background thread, with the settings
    of `summitry serve` (`limits`: max_connections, header_seconds), for browser tests,
    screenshots and benchmarks; yields its base URL and stops the server on exit."""
    import uvicorn

    from .app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(db, token=token), "127.0.0.1", port,
                                          log_level="warning", **limits))
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
