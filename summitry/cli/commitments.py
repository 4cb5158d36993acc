"""`summitry commitments` and `summitry commitment ID [set-status ...]`: commitments and their
status history, on the command line.

    summitry commitments [--status S] [--actor NAME] [--all] [--json] [--db URL]
    summitry commitment ID [--json] [--db URL]
    summitry commitment ID set-status STATUS --evidence TEXT --why TEXT [--source S] [--by NAME] [--db URL]

`commitment` is one command (so that its options go anywhere on the line): with only an ID
it shows the commitment, and with `set-status STATUS` after the ID it appends a status change.
"""
from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from ..records import COMMITMENT_STATUSES as STATUSES
from .options import DbOption, JsonOption, LimitOption
from .output import EXIT_INPUT_FAILED, fail, new_table, open_store, print_json, print_one, short_id, stdout

STATUS_HELP = "One of: " + ", ".join(STATUSES) + "."
EXIT_USAGE = 2


def status_cell(row: dict[str, Any]) -> Text:
    cell = Text(row["status"].replace("_", " "))  # "not yet rated" can wrap in a narrow column
    if row.get("retracted_by_version"):
        cell.append(f"\nretracted ({row['retracted_by_version']})", style="dim")
    return cell


def commitments_table(rows: list[dict[str, Any]], title: str):
    table = new_table(title)
    table.add_column("Id", overflow="fold")
    table.add_column("Actors", max_width=18, overflow="fold")
    table.add_column("Commitment", min_width=12, overflow="fold")
    table.add_column("Kind\ndue", overflow="fold")
    table.add_column("Status", min_width=7, overflow="fold")
    for row in rows:
        what = Text(row["action"])
        if row["polarity"] == "refrain":
            what = Text("not: ", style="bold").append(row["action"])
        kind = Text(row["kind"] or "")
        if row.get("due"):
            kind.append(f"\n{row['due']}", style="dim")
        table.add_row(Text(row["id"]), Text("\n".join(row["actors"])), what, kind, status_cell(row))
    return table


def _show_commitment(found: dict[str, Any]) -> None:
    console = stdout()
    line = lambda label, value: console.print(  # noqa: E731
        Text(f"{label}: ", style="bold").append(str(value)), soft_wrap=True)
    line("Commitment", found["id"])
    line("Actors", ", ".join(found["actors"]) or "?")
    line("Action", ("not: " if found["polarity"] == "refrain" else "") + found["action"])
    line("Kind", found["kind"] + (f" (cue: {found['cue']})" if found.get("cue") else ""))
    if found.get("due"):
        line("Due", found["due"])
    if found.get("meeting_hint"):
        line("Meeting", found["meeting_hint"])
    line("Article", f"{short_id(found['article_id'])} {found.get('article_title') or ''} "
                    f"{found.get('published') or ''} [{found['start']}:{found['end']}]".rstrip())
    if found.get("sentence"):
        line("Evidence", found["sentence"])
    if found.get("retracted_by_version"):
        line("Retracted", f"not found again by extractor {found['retracted_by_version']} "
                          "(kept for its history)")
    line("Status", found["status"])
    history = found.get("history") or []
    if not history:
        console.print("No status changes yet. Add one with "
                      f"summitry commitment {found['id']} set-status STATUS --evidence ... --why ...",
                      markup=False, highlight=False, soft_wrap=True)
        return
    table = new_table(f"Status history ({len(history)} changes, oldest first)")
    table.add_column("At (UTC)", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Evidence\nsource", ratio=1, overflow="fold")
    table.add_column("Why", ratio=1, overflow="fold")
    table.add_column("By", overflow="fold")
    for change in history:
        evidence = Text(change["evidence"])
        if change.get("source"):
            evidence.append(f"\n{change['source']}", style="dim")
        table.add_row(Text((change["at"] or "")[:19].replace("T", " ")), Text(change["status"]), evidence,
                      Text(change["rationale"]), Text(change["by"]))
    console.print(table)


def commitments(
    status: Annotated[str | None, typer.Option("--status", metavar="S", help="Only commitments whose current status is S. " + STATUS_HELP)] = None,
    actor: Annotated[str | None, typer.Option("--actor", metavar="NAME", help="Only commitments made by NAME (full name or surname, any case).")] = None,
    include_retracted: Annotated[bool, typer.Option("--all", help="Also list commitments a re-extraction no longer found (kept for their history).")] = False,
    limit: LimitOption = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List stored commitments (what the parties agreed, promised or announced) with their
    current status.

    The status follows PolitiFact's promise tracker (not_yet_rated, in_the_works, stalled,
    compromise, kept, broken): it is the last change of the commitment's history,
    not_yet_rated while it has none. `summitry commitment ID` shows one with its evidence
    and history.

    Examples:

        $ summitry commitments --status not_yet_rated
        $ summitry commitments --actor putin --json
    """
    if status is not None and status not in STATUSES:
        raise fail(f"unknown status {status!r}; {STATUS_HELP}", EXIT_USAGE)
    with open_store(db) as store:
        rows = store.commitments(status=status, actor=actor, limit=limit,
                                 include_retracted=include_retracted)
    if json_output:
        print_json(rows)
        return
    console = stdout()
    if rows:
        console.print(commitments_table(rows, f"Commitments ({len(rows)})"))
    else:
        console.print("No commitments found.")


SET_STATUS = "set-status"


def commitment(
    commitment_id: Annotated[str, typer.Argument(metavar="ID", help="A commitment's id (ARTICLE:cN), as `summitry commitments` lists it.")],
    action: Annotated[str | None, typer.Argument(metavar="ACTION", show_default=False, help="`set-status` to append a status change (then STATUS, --evidence and --why); omit to show.")] = None,
    status: Annotated[str | None, typer.Argument(metavar="STATUS", show_default=False, help="With set-status: the new status. " + STATUS_HELP)] = None,
    evidence: Annotated[str | None, typer.Option("--evidence", metavar="TEXT", help="With set-status (required): the words the change rests on, a later article's sentence or your note.")] = None,
    why: Annotated[str | None, typer.Option("--why", metavar="TEXT", help="With set-status (required): the rationale, why the evidence means this status.")] = None,
    source: Annotated[str | None, typer.Option("--source", metavar="S", help="With set-status: where the evidence is (an article id with offsets, a URL); omit for your own judgement.")] = None,
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="With set-status: who makes the change.")] = "person",
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show a commitment with its evidence and status history, or append a status change.

    `summitry commitment ID` shows who committed to what, by when, the sentence it rests on,
    and the status history: every change with its time (UTC), evidence, rationale, source
    and author, oldest first.

    `summitry commitment ID set-status STATUS --evidence TEXT --why TEXT` appends a change.
    The history is append-only: a change is never edited or removed, and the current status
    is the last change's (not_yet_rated while there is none). An unknown status or an empty
    --evidence or --why is refused (exit code 2); an unknown id exits with code 1.

    Examples:

        $ summitry commitment 7455ebc4a31fb2eb:c1
        $ summitry commitment 7455ebc4a31fb2eb:c2 --json
        $ summitry commitment 7455ebc4a31fb2eb:c2 set-status broken --evidence "The cyber unit was dropped a day later." --why "the joint unit was given up" --source https://example.org/story --by "A. Editor"
    """
    if action is None:
        if status is not None or evidence is not None or why is not None or source is not None:
            raise fail("--evidence, --why and --source go with `set-status STATUS`", EXIT_USAGE)
        _show(commitment_id, json_output, db)
        return
    if action != SET_STATUS:
        raise fail(f"unknown action {action!r}: the only one is `set-status STATUS`", EXIT_USAGE)
    if status is None:
        raise fail(f"set-status needs a STATUS. {STATUS_HELP}", EXIT_USAGE)
    _set_status(commitment_id, status, evidence, why, source, by, json_output, db)


def _show(commitment_id: str, json_output: bool, db: str | None) -> None:
    with open_store(db) as store:
        found = store.commitment(commitment_id)
    print_one(found, json_output, _show_commitment,
               f"no commitment with id {commitment_id!r} (`summitry commitments` lists them)")


def _set_status(commitment_id: str, status: str, evidence: str | None, why: str | None,
                source: str | None, by: str, json_output: bool, db: str | None) -> None:
    if status not in STATUSES:
        raise fail(f"unknown status {status!r}. {STATUS_HELP}", EXIT_USAGE)
    if not (evidence or "").strip() or not (why or "").strip() or not by.strip():
        raise fail("a status change needs its --evidence and its --why, and --by may not be empty",
                    EXIT_USAGE)
    with open_store(db) as store:
        if store.commitment(commitment_id) is None:
            raise fail(f"no commitment with id {commitment_id!r} (`summitry commitments` lists them)",
                        EXIT_INPUT_FAILED)
        try:
            change = store.add_status_change(commitment_id, status, evidence, why, source=source, by=by)
        except ValueError as e:
            raise fail(str(e), EXIT_USAGE) from None
    if json_output:
        print_json(change)
        return
    stdout().print(f"{commitment_id}: now {status} (change {change['id']} at {change['at']}, by {change['by']})",
                    markup=False, highlight=False, soft_wrap=True)

