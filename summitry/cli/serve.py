"""`summitry serve` and `summitry version`."""
from __future__ import annotations

from typing import Annotated

import typer

from .. import EXTRACTOR_VERSION, __version__
from .options import DbOption
from .output import EXIT_USAGE, fail, stdout

def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="SUMMITRY_TOKEN", show_envvar=True,
        help="The write token reviewers log in with (at least 8 characters); "
             "without one, a token is generated and printed.")] = None,
) -> None:
    """Start the web app on the database: browse, search, export and review the record.

    Every page is also JSON (add .json to the URL); listings export as CSV. Reading needs
    no token. Reviewing (accept, correct or reject a record, rate a commitment) needs the
    write token: people log in at /login with it and their name, programs send it as
    `Authorization: Bearer ...`. Stop it with Ctrl-C.

    Examples:

        $ summitry serve
        $ summitry serve --db sqlite:///research.db --port 8080 --token "$(cat token.txt)"
    """
    from ..web.auth import MIN_TOKEN_LENGTH
    from ..web.serve import serve as run_server

    if token is not None and len(token) < MIN_TOKEN_LENGTH:  # a bad option: the usage code, as typer's own
        raise fail(f"--token: the write token must have at least {MIN_TOKEN_LENGTH} characters", EXIT_USAGE)
    run_server(db, host=host, port=port, token=token, announce=lambda line: stdout().print(line, markup=False, soft_wrap=True))


def version() -> None:
    """Print the versions of summitry and of its extractor.

    The extractor version is stored with every record, so records made by an older
    extractor can be told apart and re-extracted.

    Example:

        $ summitry version
    """
    stdout().print(f"summitry {__version__} (extractor {EXTRACTOR_VERSION})", markup=False, highlight=False, soft_wrap=True)
