"""`summitry contradictions`: contradictions between accounts of the same meeting.

The lead registers it in summitry/cli.py with `register(app)`.
"""
# no `from __future__ import annotations`: typer reads the annotations of the command, which
# name DbOption and JsonOption imported inside `register` (cli.py imports this module)

from typing import Annotated

import typer
from rich.text import Text


def register(app: typer.Typer) -> None:
    from .cli import DbOption, JsonOption, _open_store, _print_json, _stdout, _table

    @app.command()
    def contradictions(
        meeting_id: Annotated[str | None, typer.Option("--meeting", metavar="ID",
                                                       help="Only this canonical meeting (m-...).")] = None,
        json_output: JsonOption = False,
        db: DbOption = None,
        refresh: Annotated[bool, typer.Option(
            "--refresh", help="Recompute every contradiction in the store first (`link` recomputes "
                              "only the meetings that changed).")] = False,
    ) -> None:
        """List contradictions between accounts of the same canonical meeting.

        Statements by different speakers or outlets that cannot both be true (one asserts
        what the other negates, or they use opposite verbs such as admitted / denied), and
        facts the reports of a meeting disagree on (date, place, length, status, attendees).
        Each names the rule that fired and both sides with their article and offsets.
        Run `summitry link` first: it stores them, recomputing the meetings whose reports or
        articles changed. `--refresh` recomputes all of them (after records were changed in
        place, or to check); the result is the same.

        Examples:

            $ summitry contradictions
            $ summitry contradictions --meeting m-5c1f0e9a2b --json
            $ summitry contradictions --refresh
        """
        with _open_store(db) as store:  # stored by `summitry link`
            if refresh:
                store.refresh_contradictions()
            found = store.contradictions(meeting_id)
        if json_output:
            _print_json(found)
            return
        console = _stdout()
        if not found:
            console.print("No contradictions found.")
            return
        table = _table(f"Contradictions ({len(found)})")
        table.add_column("Meeting", no_wrap=True)
        table.add_column("Kind\nrule", overflow="fold")
        table.add_column("Sides", ratio=1, overflow="fold")
        table.add_column("Explanation", ratio=1, overflow="fold")
        for c in found:
            sides = Text()
            for n, side in enumerate(c["sides"]):
                who = side.get("speaker") or (f"value {side['value']!r}" if "value" in side else "unnamed")
                sides.append(("\n" if n else "") + f"{who} [{side['article_id'][:8]} "
                             f"{side.get('start')}:{side.get('end')}]: ", style="bold")
                sides.append(str(side.get("text") or ""))
            table.add_row(Text(c["meeting_id"]), Text(f"{c['kind']}\n{c['rule']}"), sides,
                          Text(c["explanation"]))
        console.print(table)


# registered on the summitry app when this module is imported (summitry.cli imports it)
from .cli import app as _app  # noqa: E402

register(_app)
