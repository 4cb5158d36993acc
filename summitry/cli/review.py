"""`summitry candidates`, `confirm` and `dismiss`: the review queue of derived findings.

Fact flags, contradictions and automatic ratings that rest on records the extractor is not
sure of, or on a rule that fired weakly, are not shown as findings: they wait here for a
person. Confirming one makes it a finding (a rating: appended to the commitment's history in
the reviewer's name); dismissing one hides it for good, also after the record is recomputed.
Every verdict is in the audit log (`/audit` in the web app).
"""
from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer
from rich.padding import Padding
from rich.text import Text

from .options import DbOption, JsonOption
from .output import EXIT_INPUT_FAILED, fail, open_store, print_json, stdout

KINDS = ("fact_flag", "contradiction", "rating")
KindArgument = Annotated[str, typer.Argument(metavar="KIND", help="fact_flag, contradiction or rating.")]
IdArgument = Annotated[str, typer.Argument(metavar="ID", help="The finding's id, as `summitry candidates` lists it.")]
WhyOption = Annotated[str, typer.Option("--why", metavar="TEXT", help="What you read in the text (required).")]
ByOption = Annotated[str | None, typer.Option("--by", metavar="NAME", help="Your name for the audit log (default: your login name).")]


def candidates(
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", help="Only fact_flag, contradiction or rating.")] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the review queue: findings the rules are not sure enough of to show.

    Each entry gives its kind and id (for `summitry confirm` / `summitry dismiss`), what it
    says, why the rules think so, its confidence, and the words it rests on with their
    article and offsets.

    Examples:

        $ summitry candidates
        $ summitry candidates --kind fact_flag --json
    """
    if kind is not None and kind not in KINDS:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}", param_hint="'--kind'")
    with open_store(db) as store:
        rows = store.candidates(kind)
    if json_output:
        print_json(rows)
        return
    out = stdout()
    out.print(Text(f"Review queue ({len(rows)})", style="bold"))
    for row in rows:
        out.print()
        _print_candidate(out, row)


def confirm(kind: KindArgument, finding_id: IdArgument, why: WhyOption, by: ByOption = None, db: DbOption = None,
            json_output: JsonOption = False) -> None:
    """Confirm a finding of the review queue: it becomes a finding (a rating is appended to the
    commitment's history in your name).

    Example:

        $ summitry confirm fact_flag 4b1b574a96582f88:f3 --why "the article does say Quebec, June 2018"
    """
    _decide(kind, finding_id, "confirm", why, by, db, json_output)


def dismiss(kind: KindArgument, finding_id: IdArgument, why: WhyOption, by: ByOption = None, db: DbOption = None,
            json_output: JsonOption = False) -> None:
    """Dismiss a finding of the review queue: it is not shown again, also after recomputing.

    Example:

        $ summitry dismiss contradiction x-1a2b3c4d5e6f --why "two different questions"
    """
    _decide(kind, finding_id, "dismiss", why, by, db, json_output)


def _decide(kind: str, finding_id: str, action: str, why: str, by: str | None, db: str | None,
            json_output: bool) -> None:
    from ..store import ReviewError

    if kind not in KINDS:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}", param_hint="'KIND'")
    with open_store(db) as store:
        try:
            entry = store.decide(kind, finding_id, action, by=by or _login_name(), why=why)
        except ReviewError as exc:
            raise fail(str(exc), EXIT_INPUT_FAILED) from None
    if json_output:
        print_json(entry)
        return
    stdout().print(f"{kind} {finding_id}: {entry['after']['state']} (audit entry {entry['id']}, by {entry['by']})",
                   markup=False, highlight=False, soft_wrap=True)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment (a container, a service)
        return "person"


def _print_candidate(out, row: dict[str, Any]) -> None:
    kind = row["finding_kind"]
    confidence = row.get("confidence")
    sure = f"  confidence {confidence:.2f}" if confidence is not None else ""
    out.print(Text.assemble((kind, "bold"), " ", (row["id"], "cyan"), (sure, "dim")))
    if kind == "fact_flag":
        out.print(Padding(Text.assemble((row["kind"], "bold"), f" [{row['start']}:{row['end']}] ",
                                        (f"“{row['claim']}”", "italic")), (0, 0, 0, 2)))
        out.print(Padding(Text(row["explanation"]), (0, 0, 0, 2)))
    elif kind == "contradiction":
        out.print(Padding(Text(row["explanation"]), (0, 0, 0, 2)))
        for side in row["sides"]:
            who = side.get("speaker") or (f"value {side['value']!r}" if "value" in side else "unnamed")
            out.print(Padding(Text.assemble((f"{who} [{side.get('article_id')} {side.get('start')}:{side.get('end')}]: ", "bold"),
                                            str(side.get("text") or "")), (0, 0, 0, 4)))
    else:
        out.print(Padding(Text.assemble(" and ".join(row["actors"]) or "?", f": “{row['action']}” → ",
                                        (row["status"], "bold")), (0, 0, 0, 2)))
        out.print(Padding(Text(row["rationale"]), (0, 0, 0, 2)))
        out.print(Padding(Text.assemble((f"{row.get('source') or ''}: ", "dim"), row["evidence"]), (0, 0, 0, 4)))
