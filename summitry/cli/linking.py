"""`summitry link`, `meeting`, `flags` and `contradictions`: the cross-article record."""
from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .options import DbOption, JsonOption
from .output import (EXIT_INPUT_FAILED, fail, new_table, open_store, planned_actual, print_json, print_one,
                     next_step, short_id, shown_url, stdout, two_lines)

FIELD_LABELS = {"date": "date", "place": "place", "occasion": "occasion", "status": "status",
                "format": "format", "scheduled_minutes": "minutes planned",
                "actual_minutes": "minutes actual", "others_present": "others present"}


def link_lines(summary: dict[str, Any]) -> list[str]:
    from ..pipeline import link as pipeline_link

    return [
        f"canonical meetings: {summary['meetings']} ({summary['new_meetings']} new, "
        f"{summary['updated']} updated, {summary['merged']} merged into older ones, "
        f"{summary['removed']} removed)",
        f"meeting reports linked: {summary['linked_reports']} ({summary['reports_linked']} newly linked, "
        f"{summary['moved']} moved to another meeting)",
        f"commitment statuses set from later articles: {summary.get('statuses_set', 0)}"
        + (" (automatic ratings wait for a person: summitry candidates --kind rating)"
           if pipeline_link.RATINGS_NEED_REVIEW else ""),
    ]


def canonical_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = new_table(title)
    table.add_column("ID", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Participants", min_width=12, overflow="fold")
    table.add_column("Place\noccasion", min_width=8, overflow="fold")
    table.add_column("Status\nformat", min_width=9, overflow="fold")
    table.add_column("Reports (articles)\ndisputed", min_width=12, overflow="fold")
    for row in rows:
        evidence = Text(f"{row.get('reports', 0)} ({row.get('articles', 0)})")
        if row.get("disputed"):
            evidence.append("\n" + ", ".join(FIELD_LABELS.get(f, f) for f in row["disputed"]), style="yellow")
        table.add_row(
            Text(row["id"]), Text(row.get("date") or ""), Text("\n".join(row.get("participants") or [])),
            two_lines(row.get("place"), row.get("occasion")), two_lines(row.get("status"), row.get("format")),
            evidence,
        )
    return table


def shown_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def report_label(numbers: dict[str, int], source: dict[str, Any]) -> str:
    """"R2 8f4336db": the report's number in the list of reports below, and its article."""
    return f"R{numbers.get(source.get('report_id'), '?')} {short_id(source.get('article_id'))}"


def show_meeting(found: dict[str, Any]) -> None:
    console = stdout()
    reports = found.get("reports") or []
    numbers = {report["id"]: n for n, report in enumerate(reports, 1)}
    heading = " – ".join(found.get("participants") or [])
    facts = [found.get("date") or "undated", found.get("place"), found.get("occasion"),
             found.get("status"), found.get("format")]
    line = Text.assemble((heading, "bold"), (" · " + ", ".join(str(f) for f in facts if f), "dim"))
    if planned_actual(found):
        line.append(f" · minutes planned/actual {planned_actual(found)}", style="dim")
    console.print(line)
    console.print(Text.assemble(("id: ", "dim"), found["id"]))
    if found.get("redirected_from"):
        console.print(Text(f"({found['redirected_from']} was merged into this meeting)", style="dim"))
    console.print()
    console.print(Text("Agreed by the reports", style="bold underline"))
    agreed = {k: v for k, v in (found.get("agreed") or {}).items() if k in FIELD_LABELS}
    for name, value in agreed.items():
        console.print(Text.assemble((f"{FIELD_LABELS[name]}: ", "dim"), shown_value(value)))
    if not agreed:
        console.print(Text("nothing beyond the participants", style="dim"))
    disagreements = found.get("disagreements") or {}
    if disagreements:
        console.print()
        console.print(Text("Disagreements", style="bold underline"))
    for name, values in disagreements.items():
        console.print(Text(FIELD_LABELS.get(name, name), style="bold yellow"))
        for entry in values:
            sources = ", ".join(report_label(numbers, s) for s in entry["reports"])
            console.print(Padding(Text.assemble((shown_value(entry["value"]), "bold"),
                                                f" · {len(entry['reports'])} report(s): {sources}"),
                                  (0, 0, 0, 2), expand=False))
    console.print()
    console.print(Text(f"Reports ({len(reports)})", style="bold underline"))
    for number, report in enumerate(reports, 1):
        values = [report.get("date") or "undated", report.get("place"), report.get("status"), report.get("format")]
        line = Text.assemble((f"R{number} ", "bold"), short_id(report.get("article_id")),
                             f" {report.get('article_title') or '(untitled)'}")
        line.append(f" · published {report.get('published') or '?'} · "
                    + ", ".join(str(v) for v in values if v), style="dim")
        if planned_actual(report):
            line.append(f" · minutes planned/actual {planned_actual(report)}", style="dim")
        console.print(line)
        if report.get("evidence"):
            offsets = f" [{report.get('evidence_start')}:{report.get('evidence_end')}]"
            console.print(Padding(Text.assemble(report["evidence"], (offsets, "dim")), (0, 0, 0, 4), expand=False))


def link(db: DbOption = None, json_output: JsonOption = False) -> None:
    """Link the meeting reports of all stored articles into canonical meetings.

    Reports of the same leaders, with compatible dates (the same day give or take one, or
    one date less precise than the other), the same place or occasion when both name one,
    and the same mode (phone calls apart from meetings in person) become one canonical
    meeting; every report stays linked to it as evidence, with the values it gives.

    Running it again changes nothing. After new articles are ingested it links their
    reports; a meeting keeps its id for good, and when new reports show two meetings to be
    one, the older id stays and the other redirects to it. The meetings new or changed in
    the run are listed; `summitry meeting ID` shows one with its sources.

    It also recomputes the contradictions of the meetings that changed, and rates
    commitments from the sentences of later articles (a person's rating is never
    overridden); it prints how many statuses it set.

    Examples:

        $ summitry ingest articles/ && summitry link
        $ summitry link --json
    """
    from ..pipeline import link_meetings, refresh_flags

    with open_store(db) as store:
        summary = link_meetings(store)  # also refreshes the stored contradictions
        refresh_flags(store)  # flags of records saved before they were stored (writes only changes)
        changed = set(summary["changed"])
        rows = [row for row in store.canonical_meetings() if row["id"] in changed]
    if json_output:
        print_json({"database": shown_url(store.url), **summary})
        return
    console = stdout()
    for line in [*link_lines(summary), f"database: {shown_url(store.url)}"]:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if rows:
        console.print()
        console.print(canonical_table(rows, "Meetings new or changed in this run"))
        next_step("meeting ID", "shows a meeting with its reports and their disagreements.")


def meeting(
    meeting_id: Annotated[str, typer.Argument(metavar="ID", help="A canonical meeting's id (m-...), as `summitry link` lists it.")],
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show a canonical meeting: the values its reports agree on, every disagreement with its
    sources, and each report with the sentence it rests on.

    The id of a meeting that was merged into another still works and shows the meeting it
    was merged into. An unknown id exits with code 1.

    Examples:

        $ summitry meeting m-5c1f0e9a2b
        $ summitry meeting m-5c1f0e9a2b --json
    """
    with open_store(db) as store:
        found = store.canonical_meeting(meeting_id)
    print_one(found, json_output, show_meeting,
               f"no meeting with id {meeting_id!r} (run `summitry link` to link the stored reports)")


SHOWN = ("finding", "confirmed")  # what listings show by default (summitry.store.findings.SHOWN)


def _stored_flags(store, article_id: str | None, refresh: bool = False,
                  states: tuple[str, ...] | None = SHOWN) -> list[dict[str, Any]]:
    """Stored fact flags of the article (a unique id prefix is enough) or of every article;
    with `refresh`, recomputed against the reference record first (`pipeline.refresh_flags`)."""
    from ..pipeline import refresh_flags

    full_id = None
    if article_id:
        article = store.article(article_id)
        if article is None:
            raise fail(f"no stored article with id {article_id!r}", EXIT_INPUT_FAILED)
        full_id = article["id"]
    if refresh:
        refresh_flags(store, full_id)
    return store.fact_flags(article_id=full_id, states=states)


def flags(
    article_id: Annotated[str | None, typer.Option("--article", metavar="ID", help="Only this article.")] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
    refresh: Annotated[bool, typer.Option("--refresh", help="Check the articles against the reference record again first.")] = False,
    notices: Annotated[bool, typer.Option("--notices", help="List the notices instead: claims the reference record cannot check.")] = False,
    candidates: Annotated[bool, typer.Option("--candidates", help="List the candidates instead: disagreements the rules are not sure are the article's (see `summitry candidates`).")] = False,
    every: Annotated[bool, typer.Option("--all", help="List flags, candidates, notices and dismissed ones.")] = False,
) -> None:
    """List fact flags: where a stored article gets the reference record wrong.

    A flag needs a claim the article makes firmly (the date, place and leaders in its own
    words, read by the extractor with confidence) that contradicts a reference entry. Each
    names the article (as briefings cite it), the claim and its offsets, every reference entry
    it was checked against, and a plain explanation. A disagreement that may be the
    extractor's misreading is a candidate for a person (`--candidates`, `summitry
    candidates`); a claim the reference record has nothing to check against is a quiet
    notice (`--notices`), not a flag.

    Examples:

        $ summitry flags
        $ summitry flags --article 4b1b574a --json
        $ summitry flags --notices
    """
    from ..analysis import article_labels

    with open_store(db) as store:
        states = None if every else ("notice",) if notices else ("candidate",) if candidates else SHOWN
        rows = _stored_flags(store, article_id, refresh=refresh, states=states)
        # the whole id, or a long one's unique prefix: never an ambiguous 8 characters
        labels = article_labels(store, (row["article_id"] for row in rows))
    if json_output:
        print_json(rows)
        return
    # One block per flag, not a table: explanations run to a paragraph, and a table's
    # columns would crop them at the terminal's width.
    out = stdout()
    heading = "Notices" if notices and not every else "Candidate flags" if candidates and not every else "Fact flags"
    out.print(Text(f"{heading} ({len(rows)})", style="bold"))
    for row in rows:
        out.print()
        state = "" if row["state"] == "finding" else f" ({row['state']})"
        out.print(Text.assemble((labels[row["article_id"]], "cyan"), "  ", (row["kind"] + state, "bold"),
                                f"  [{row['start']}:{row['end']}] ", (f"“{row['claim']}”", "italic")))
        out.print(Padding(Text(row["explanation"]), (0, 0, 0, 2)))
        if row["reference_ids"]:
            out.print(Padding(Text("reference: " + ", ".join(row["reference_ids"]), style="dim"), (0, 0, 0, 2)))


def contradictions(
    meeting_id: Annotated[str | None, typer.Option("--meeting", metavar="ID",
                                                   help="Only this canonical meeting (m-...).")] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Recompute every contradiction in the store first (`link` recomputes "
                          "only the meetings that changed).")] = False,
    candidates: Annotated[bool, typer.Option("--candidates", help="List the candidates instead: contradictions the rules are not sure of (see `summitry candidates`).")] = False,
    every: Annotated[bool, typer.Option("--all", help="List findings, candidates and dismissed ones.")] = False,
) -> None:
    """List contradictions between accounts of the same canonical meeting.

    Two accounts of one meeting, from different speakers or outlets, about the same
    proposition with opposite polarity (one says Trump accepted the assurances, the other
    that he did not), or values that cannot both be true (two dates days apart, lengths of
    half an hour and three hours). Compatible labels (a summit that was also a bilateral)
    and shared words are not contradictions. Each shows a plain reason and both accounts
    with their article and offsets; the ones the rules are not sure of wait in the review
    queue (`--candidates`, `summitry candidates`).
    Run `summitry link` first: it stores them, recomputing the meetings whose reports or
    articles changed. `--refresh` recomputes all of them (after records were changed in
    place, or to check); the result is the same.

    Examples:

        $ summitry contradictions
        $ summitry contradictions --meeting m-5c1f0e9a2b --json
        $ summitry contradictions --refresh
    """
    from ..pipeline import refresh_contradictions

    with open_store(db) as store:  # stored by `summitry link`
        if refresh:
            refresh_contradictions(store)
        found = store.contradictions(meeting_id, states=None if every else ("candidate",) if candidates else SHOWN)
    if json_output:
        print_json(found)
        return
    console = stdout()
    if not found:
        console.print("No contradictions found.")
        return
    # One block per contradiction: the reason, then the two accounts one under the other
    console.print(Text(f"Contradictions ({len(found)})", style="bold"))
    for c in found:
        console.print()
        state = "" if c.get("state") in (None, "finding") else f" ({c['state']})"
        sure = f"  confidence {c['confidence']:.2f}" if c.get("confidence") is not None else ""
        console.print(Text.assemble((c["meeting_id"], "cyan"), "  ", (c["kind"] + state, "bold"), (sure, "dim")))
        console.print(Padding(Text(c.get("reason") or c["explanation"]), (0, 0, 0, 2)))
        for side in c["sides"]:
            who = side.get("speaker") or (f"value {side['value']!r}" if "value" in side else "unnamed")
            console.print(Padding(Text.assemble(
                (f"{who} [{side['article_id'][:8]} {side.get('start')}:{side.get('end')}]: ", "bold"),
                str(side.get("text") or "")), (0, 0, 0, 4)))
