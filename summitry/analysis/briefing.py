"""A Markdown briefing on a pair of leaders, from templates over the stored record (no model).

Every sentence ends with the records it rests on in brackets: a canonical meeting id, an
article with offsets (`article 4b1b574a9c0e2d17@2650-2754`), a commitment id, or the reference record
(`ref: trump-putin-2018-07-16-helsinki`). A sentence that has no source is not written. Counts
come from the record: encounters per the linked meetings and per the reference record,
commitments by status, and the fact flags that concern the pair (see :func:`pair_flags`).
An article is cited by its whole id, or a long id by its shortest unique prefix
(:func:`summitry.analysis.article_labels`).
"""
from __future__ import annotations

import re
from . import pair as analysis
from .pair import article_cite, citations, ref_cite
from ..link.reference import ReferenceRecord, same_people

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _surname(name: str) -> str:
    return name.split()[-1]


def _n(count: int, noun: str, verb: bool = True) -> str:
    """"1 fact flag was" / "2 fact flags were" (or without the verb)."""
    words = f"{count} {noun}" + ("" if count == 1 else "s")
    return words + ((" was" if count == 1 else " were") if verb else "")


def _when(value: str | None) -> str:
    return value or "an unknown date"


_MARKDOWN = re.compile(r"([\\`*_\[\]()<>#!|{}~])")


def md(text: str) -> str:
    """Words from an article as literal Markdown text: its punctuation escaped, so that an
    article cannot put a link, an image or markup into a briefing."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def _sentence(text: str, cite: list[str]) -> str | None:
    """`text [cite].`, or None when there is no source (the sentence is then not written)."""
    if not [c for c in cite if c]:
        return None
    return f"{text.rstrip('. ')} {citations(cite)}."


def _reference_ids(flag: dict) -> list[str]:
    """Every reference entry the flag rests on (flags stored before reference_ids have one)."""
    return flag.get("reference_ids") or ([flag["reference_id"]] if flag.get("reference_id") else [])


def _names_both(text: str, a: str, b: str) -> bool:
    """Both leaders named in `text`, by surname as the flag explanations name them."""
    return all(re.search(rf"\b{re.escape(_surname(name))}\b", text) for name in (a, b))


def pair_flags(flags: list[dict], reference: ReferenceRecord, a: str, b: str, entries: list[dict]) -> list[dict]:
    """The fact flags that concern the pair `a`, `b`:

    - a flag checked against reference entries concerns the pair when one of them is the pair's;
    - a flag with none the reference record knows (not_in_reference, mostly) concerns the pair
      when its claim lies within the evidence of a report of one of the pair's meetings in
      `entries` (`analysis.timeline`), or when its claim or explanation names both leaders.

    Without this, a flag with no reference entry would be listed in every pair's briefing."""
    evidence: dict[str, list[tuple[int, int]]] = {}
    for e in entries:
        for r in e["report_sources"]:
            if r["start"] is not None and r["end"] is not None:
                evidence.setdefault(r["article_id"], []).append((r["start"], r["end"]))

    def concerns(flag: dict) -> bool:
        known = [x for x in (reference.get(rid) for rid in _reference_ids(flag)) if x is not None]
        if known:
            return any(same_people((a, b), x.participants) for x in known)
        in_report = any(start <= flag["start"] and flag["end"] <= end
                        for start, end in evidence.get(flag["article_id"], ()))
        return in_report or _names_both(f"{flag['claim']} {flag['explanation']}", a, b)

    return [f for f in flags if concerns(f)]


def brief(store, a: str, b: str, reference: ReferenceRecord | None = None,
          flags: list[dict] | None = None, entries: list[dict] | None = None,
          commitments: list[dict] | None = None) -> str:
    """The briefing as Markdown. `flags` are the fact flags of the stored articles (by default
    every stored flag, `store.fact_flags()`); only those of the pair are listed.
    `entries` (`analysis.timeline`) and `commitments` (`analysis.pair_commitments`) are
    computed when not given: a caller that has them saves the work (the web's pair page)."""
    reference = reference or ReferenceRecord.load()
    entries = entries if entries is not None else analysis.timeline(store, a, b, reference)
    commitments = commitments if commitments is not None else analysis.pair_commitments(store, a, b, entries)
    rates = analysis.base_rates(store, a, b, entries, commitments)
    scores = analysis.cooperation_scores(store, a, b, entries, commitments)
    if flags is None:
        flags = store.fact_flags()
    flags = pair_flags(flags, reference, a, b, entries)
    # the articles the pair's meetings are reported in: what "no fact flags" rests on
    pair_articles = list(dict.fromkeys(r["article_id"] for e in entries for r in e["report_sources"]))
    labels = analysis.article_labels(
        store, [*pair_articles, *(c["article_id"] for c in commitments), *(f["article_id"] for f in flags)])
    sa, sb = _surname(a), _surname(b)
    lines: list[str] = [f"# Briefing: {a} and {b}", ""]

    def para(*sentences: str | None) -> None:
        written = [s for s in sentences if s]
        if written:
            lines.extend([" ".join(written), ""])

    # --- counts of encounters
    # a stored meeting that matches no encounter of a fully listed pair is probably the
    # extractor's misreading: counted apart, never as an encounter
    suspects = [e for e in entries if e["source"] == "record" and e.get("suspect")]
    stored = [e for e in entries if e["source"] == "record" and not e.get("suspect")]
    held = [e for e in stored if e["status"] == "held" and not e["non_event"]]
    refuted = [e for e in stored if e["non_event"]]
    ref_all = reference.for_pair(a, b)
    ref_held = reference.in_person_encounters(a, b)
    lines += ["## Encounters", ""]
    para(
        _sentence(f"The stored articles report {len(stored)} encounters of {sa} and {sb}, linked into "
                  f"canonical meetings, of which {len(held)} are reported as held and match no known "
                  f"non-event", [e["id"] for e in stored]),
        _sentence(f"{_n(len(refuted), 'reported encounter')} contradicted by the reference record",
                  [c for e in refuted for c in (e["id"], ref_cite(e["non_event"]["id"]))]),
        _sentence(f"{_n(len(suspects), 'further stored meeting', verb=False)} "
                  f"{'matches' if len(suspects) == 1 else 'match'} no encounter of the pair, whose in-person "
                  f"encounters the reference record lists in full, and {'is' if len(suspects) == 1 else 'are'} "
                  f"probably misread by the extractor: not counted", [e["id"] for e in suspects]),
        _sentence(f"The reference record lists {len(ref_held)} held in-person encounters of {sa} and {sb}",
                  [ref_cite(e.id) for e in ref_held]),
        _sentence(f"It lists {len(ref_all)} encounters of the pair in all, calls and cancelled meetings included",
                  [ref_cite(e.id) for e in ref_all]),
    )
    for e in entries:
        lines.append("- " + _entry_sentence(e, sa, sb))
    lines.append("")

    # --- planned against actual length
    if rates["lengths"]:
        lines += ["## Planned versus actual length", ""]
        for x in rates["lengths"]:
            lines.append("- " + _sentence(
                f"At {md(x['place']) if x['place'] else 'the meeting'} ({_when(x['date'])}) the meeting was scheduled for "
                f"{x['scheduled_minutes']} minutes and lasted {x['actual_minutes']} minutes", x["cite"]))
        lines.append("")

    # --- commitments
    lines += ["## Commitments", ""]
    if commitments:
        summary = rates["summary"]
        para(_sentence(summary[0].upper() + summary[1:], [c["id"] for c in commitments]))
        for c in commitments:
            who = md(", ".join(c["actors"])) or "An unnamed party"
            what = md(c["action"]) + (" (a refraining)" if c["polarity"] == "refrain" else "")
            at = f" at meeting {c['meeting_id']}" if c["meeting_id"] else ""
            lines.append("- " + _sentence(
                f"{who} ({c['kind']}{at}): {what}; current status {c['status'].replace('_', ' ')}",
                [c["id"], c["meeting_id"], article_cite(c["article_id"], c["start"], c["end"], labels)]))
        lines.append("")
    else:
        para(_sentence(f"No commitments are recorded at the stored meetings of {sa} and {sb}",
                       [e["id"] for e in stored]))

    # --- cooperation
    if scores["by_year"]:
        lines += ["## Cooperation and conflict", ""]
        for y in scores["by_year"]:
            cite = [c for ev in scores["events"] if str(ev["date"]).startswith(str(y["year"])) for c in ev["cite"][:1]]
            lines.append("- " + _sentence(
                f"{y['year']}: {_n(y['events'], 'scored event', verb=False)}, mean score {y['mean']:+.1f} on the PLOVER-style "
                f"scale of summitry.analysis", cite))
        lines.append("")

    # --- fact flags
    lines += _flag_section(flags, pair_articles, labels)
    return "\n".join(lines).rstrip() + "\n"


def _flag_section(flags: list[dict], pair_articles: list[str], labels: dict[str, str]) -> list[str]:
    """The fact flags of the pair, each with its claim and explanation; none when no stored
    article reports the pair (then there is nothing the section could rest on)."""
    if not flags and not pair_articles:
        return []
    lines = ["## Fact flags on the stored articles", ""]
    if not flags:
        return lines + [_sentence("No fact flags were raised against the stored articles on this pair",
                                  [article_cite(aid, None, None, labels) for aid in pair_articles]), ""]
    lines += [_sentence(f"{_n(len(flags), 'fact flag')} raised against the stored articles",
                        [article_cite(f["article_id"], f["start"], f["end"], labels) for f in flags]), ""]
    for f in flags:
        cite = [article_cite(f["article_id"], f["start"], f["end"], labels)]
        cite += [ref_cite(rid) for rid in _reference_ids(f)]
        claim = md(f["claim"])
        parts = [_sentence(f"{f['kind'].replace('_', ' ').capitalize()}: the article claims “{claim}”", cite)]
        parts += [_sentence(md(s), cite) for s in _SENTENCE_SPLIT.split(f["explanation"].strip()) if s]
        lines.append("- " + " ".join(p for p in parts if p))
    return lines + [""]


def _entry_sentence(e: dict, sa: str, sb: str) -> str:
    where = " at " + md(e["place"]) if e["place"] else ""
    occasion = f" ({md(e['occasion'])})" if e["occasion"] else ""
    fmt = f", {e['format']}" if e["format"] else ""
    if e["source"] == "reference":
        text = f"{_when(e['date'])}: {sa} and {sb}, {e['status']}{where}{occasion}{fmt}; no stored report covers it"
        return _sentence(text, e["cite"])
    n = e["reports"]
    text = (f"{_when(e['date'])}: {sa} and {sb}, {e['status']}{where}{occasion}{fmt}, per {n} "
            f"report{'s' if n != 1 else ''} in {e['articles']} article{'s' if e['articles'] != 1 else ''}")
    if e["scheduled_minutes"] or e["actual_minutes"]:
        text += f", minutes planned/actual {e['scheduled_minutes'] or '?'}/{e['actual_minutes'] or '?'}"
    if e["disputed"]:
        text += f", the reports disagree on {', '.join(e['disputed'])}"
    sentence = _sentence(text, e["cite"])
    if e["non_event"]:
        extra = [_sentence(s, [e["id"], ref_cite(e["non_event"]["id"])])
                 for s in _SENTENCE_SPLIT.split(e["non_event"]["explanation"].strip()) if s]
        sentence += " " + _sentence("The reference record says this encounter did not take place",
                                    [ref_cite(e["non_event"]["id"])]) + " " + " ".join(extra)
    return sentence
