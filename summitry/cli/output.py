"""What every command shares: consoles, errors and exit codes, JSON output, progress
display, opening the store, and the table pieces the listings are built of."""
from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the store is imported where it is opened, so that --help stays fast
    from ..store import Store

CONTENT_ID = re.compile(r"[0-9a-f]{16}")  # the form of summitry.records.content_id

# exit codes besides 0 (ok) and 2 (usage error, raised by click)
EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3


def stdout() -> Console:
    return Console()


def stderr() -> Console:
    return Console(stderr=True)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(value: Any) -> str:
    """A stored value as terminal text: control characters (an ESC that starts a terminal
    escape sequence, in a title stored by an older summitry) shown as U+FFFD, never sent."""
    return _CONTROL.sub("\ufffd", str(value))


def print_error(message: str, console: Console | None = None) -> None:
    """One line on stderr: `error: <message>` (never wrapped, never parsed as markup)."""
    line = " ".join(str(message).split())
    (console or stderr()).print(Text(f"error: {line}", style="red"), soft_wrap=True)


def fail(message: str, code: int) -> typer.Exit:
    print_error(message)
    return typer.Exit(code)


def command_name() -> str:
    """How the user can run summitry again, for "Next: ..." hints: `summitry` when that is
    on PATH (an activated venv, a pip install), else the path they used (`.venv/bin/summitry`
    after `bash scripts/demo.sh`), or `python -m summitry.cli`."""
    invoked = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if invoked is None or invoked.name in ("__main__.py", "-c") or invoked.suffix == ".py":
        return f"{Path(sys.executable).name} -m summitry.cli"
    found = shutil.which("summitry")
    if found and invoked.name == "summitry" and Path(found).resolve() == invoked.resolve():
        return "summitry"
    try:
        return str(invoked.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(invoked)


def next_step(command: str, what: str) -> None:
    """A "Next: <command> <what>" hint on stdout, the command spelled as the user can run it."""
    stdout().print(Text.assemble("Next: ", (f"{command_name()} {command}", "bold"), f" {what}"), soft_wrap=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_one(found: dict[str, Any] | None, json_output: bool, render, missing: str) -> None:
    """One record by id: JSON or its rendering; an unknown id is the input's error (exit 1)."""
    if found is None:
        raise fail(missing, EXIT_INPUT_FAILED)
    if json_output:
        print_json(found)
    else:
        render(found)


def progress_display(console: Console) -> Progress:
    """A progress display on stderr, shown only when stderr is a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def shown_url(url: str) -> str:
    """The database URL with any password masked."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def open_store(db: str | None) -> Iterator[Store]:
    """The store at `db`; a database error ends the command with one line on stderr and exit code 3."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..store import Store, StoreError

    store = None
    try:
        store = Store(db)
        yield store
    except (StoreError, SQLAlchemyError) as exc:
        raise fail(f"database: {exc}", EXIT_DATABASE) from None
    finally:
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - closing must not hide the real outcome
                pass


def planned_actual(row: dict[str, Any]) -> str:
    planned, actual = row.get("scheduled_minutes"), row.get("actual_minutes")
    if planned is None and actual is None:
        return ""
    return f"{'?' if planned is None else planned}/{'?' if actual is None else actual}"


def short_id(article_id: str | None) -> str:
    """A content-hash id cut to its first 8 characters, as `show` accepts any unique prefix.

    Other ids (from JSONL inputs) are shown whole.
    """
    article_id = article_id or ""
    return article_id[:8] if CONTENT_ID.fullmatch(article_id) else article_id


def speaker_cell(row: dict[str, Any]) -> Text:
    if row.get("speaker"):
        return Text(safe(row["speaker"]))
    return Text(f"unnamed: {safe(row.get('speaker_mention') or '?')}", style="italic")


def two_lines(first: Any, second: Any) -> Text:
    cell = Text(safe(first or ""))
    if second:
        cell.append(f"\n{safe(second)}", style="dim")
    return cell


def new_table(title: str) -> Table:
    return Table(title=title, title_justify="left", show_lines=True, box=box.SIMPLE_HEAD, pad_edge=False)


def print_rows(rows: list[dict[str, Any]], table: Table, what: str) -> None:
    console = stdout()
    if rows:
        console.print(table)
    else:
        console.print(f"No {what} found.")
