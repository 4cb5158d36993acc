"""Build a SQLite database of synthetic articles for the web latency benchmark.

    .venv/bin/python benchmarks/generate_corpus_db.py [--articles 10000] [--out PATH] [--seed 1]

The articles are about fictional leaders and countries (President Arla Venn of Norland,
Prime Minister Tomas Rell of Estovia, ...; no real person). Each has a few paragraphs, two
to six statements (direct and indirect quotes by leaders, spokespeople and ministries) and
one or two meeting reports drawn from a pool of events, so that several articles report
the same meeting, sometimes with a different date or place, and the linker has work to do.
Dates run from 2020 to 2031, with every status and format.

The records are hand-built `Statement` / `MeetingReport` objects, not made by the spaCy
extractor. By default they are written by a bulk writer: the rows `Store.save_record` would
write (the same row helpers, ids and actors), inserted `--batch` articles per transaction
with one executemany per table, so 100,000 articles take a few minutes instead of an hour.
It is a benchmark fixture, not the product path: no fact check, no reviews to re-apply, no
commitments (the generator makes none). `--save-record` writes each article through
`Store.save_record` instead (one transaction per article, as ingest does).
At the end the meeting reports are linked into canonical meetings (`Store.link_reports` with
`summitry.link.linking.plan`, what `summitry link` does first); the rest of `link_meetings`
(contradictions, which parse every linked statement with spaCy: over an hour at 100,000
articles; commitment ratings: the generator makes no commitments) runs only with
`--full-link`. An existing file at --out is replaced.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from summitry.link import linking
from summitry.pipeline import link_meetings
from summitry.records import (
    Article,
    ArticleRecord,
    MeetingReport,
    Statement,
    content_id,
)
from summitry.store import Store
from summitry.store.models import ArticleRow, MeetingParticipantRow, MeetingReportRow, StatementRow
from summitry.store.rows import article_row, ensure_actors, meeting_values, statement_values

# (title, full name, country, capital)
LEADERS = [
    ("President", "Arla Venn", "Norland", "Valmora"),
    ("Prime Minister", "Tomas Rell", "Estovia", "Kirsk"),
    ("Chancellor", "Ida Marsk", "Veskaria", "Oberhain"),
    ("King", "Oren Sarvik", "Sarvland", "Haldby"),
    ("President", "Mirela Dosta", "Calveria", "Port Lenno"),
    ("Prime Minister", "Jonah Teller", "Aldmark", "Rensfjord"),
    ("President", "Kaveh Oruni", "Zanthia", "Meraband"),
    ("Premier", "Lucia Ferrand", "Montrava", "Castelbrio"),
    ("President", "Bram Holloway", "Westmere", "Granholt"),
    ("Prime Minister", "Saira Quell", "Ostrelia", "Dunvarra"),
    ("Emir", "Tariq Almassi", "Qadira", "Suhran"),
    ("President", "Nadia Korvin", "Belmarch", "Ilvast"),
]
ORGANISATIONS = [f"{country} Foreign Ministry" for _, _, country, _ in LEADERS[:8]] + [
    "Norland Presidential Office", "Estovian Cabinet Office", "Council of the Northern Union",
    "Veskarian Chancellery"]
SPOKESPEOPLE = ["Petra Olund", "Marius Kade", "Helen Trask", "Yusuf Darel", "Greta Ahlm",
                "Ivo Santen", "Lena Moravec", "Owen Barrick"]
OUTLETS = ["Norland Herald", "Estovia Daily", "Veskaria Post", "The Continental Wire",
           "Sarvland Tribune", "Calverian Times", "Aldmark Morning News", "Global Ledger"]
OCCASIONS = [None, None, "Northern Union summit", "Harbour Forum", "Trade Council meeting",
             "Ocean Compact conference", "Security Dialogue", "Grain Corridor talks", "G12 summit"]
NEUTRAL_PLACES = ["Geneva Hall, Lake Tessin", "Aurel Island", "Brennport", "Sollen", "Marrow Bay",
                  "Fenwick Castle", "Trellan"]
FORMATS = ["summit", "bilateral", "sideline", "informal", "phone", "video", "multilateral"]
FORMAT_WEIGHTS = [3, 6, 2, 1, 2, 1, 2]
STATUS_WEIGHTS = {"held": 10, "planned": 3, "proposed": 2, "cancelled": 1, "denied": 1}
TOPICS = ["grain exports", "the border crossings", "fishing quotas", "the energy pipeline",
          "sanctions relief", "the railway corridor", "climate finance", "prisoner exchanges",
          "the northern shipping lanes", "tariffs on steel", "the water treaty", "cyber security",
          "refugee resettlement", "the currency union", "arms control", "vaccine supplies"]
VERBS_GOOD = ["welcomed progress on", "praised the talks on", "called for swift agreement on",
              "promised new proposals on", "expressed hope about"]
VERBS_BAD = ["warned against delays on", "rejected the latest offer on", "criticised the stance on",
             "demanded guarantees on", "voiced concern over"]
QUOTES = [
    "We had a frank and constructive discussion about {topic}.",
    "There will be no agreement on {topic} without firm guarantees.",
    "Our teams will keep working on {topic} in the coming weeks.",
    "I told my counterpart that {topic} cannot wait another year.",
    "This is a good day for both our peoples and for {topic}.",
    "Nobody should doubt our commitment to {topic}.",
    "The question of {topic} was the hardest part of the talks.",
    "We agreed to meet again to settle {topic}.",
]
CUES = ["said", "told reporters", "added", "stressed", "declared", "noted"]


def leader_label(i: int) -> str:
    title, name, country, _ = LEADERS[i]
    return f"{title} {name} of {country}"


def make_events(rng: random.Random, n: int) -> list[dict]:
    """A pool of encounters; each article reports one or two of them."""
    events = []
    start, span = date(2020, 1, 1), (date(2031, 12, 31) - date(2020, 1, 1)).days
    for _ in range(n):
        a, b = rng.sample(range(len(LEADERS)), 2)
        fmt = rng.choices(FORMATS, FORMAT_WEIGHTS)[0]
        occasion = rng.choice(OCCASIONS) if fmt in ("summit", "sideline", "multilateral") else None
        host = rng.choice((a, b))
        place = (None if fmt in ("phone", "video") else
                 rng.choice([LEADERS[host][3], LEADERS[host][3], rng.choice(NEUTRAL_PLACES)]))
        when = start + timedelta(days=rng.randrange(span))
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        events.append({"pair": (a, b), "date": when, "place": place, "occasion": occasion,
                       "format": fmt, "status": status,
                       "others": rng.sample(SPOKESPEOPLE, rng.choice([0, 0, 1, 2]))})
    return events


class Writer:
    """Accumulates the article text and records offsets of what is appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, s: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)


def make_article(rng: random.Random, n: int, events: list[dict]) -> tuple[Article, ArticleRecord]:
    reported = [rng.choice(events)]
    if rng.random() < 0.2:
        reported.append(rng.choice(events))
    main = reported[0]
    a, b = main["pair"]
    published = main["date"] + timedelta(days=rng.randint(-20, 3))
    topic = rng.choice(TOPICS)
    w = Writer()
    meetings: list[MeetingReport] = []
    statements: list[Statement] = []

    for k, ev in enumerate(reported):
        x, y = ev["pair"]
        when = ev["date"]
        # a minority of sources get the date or place slightly wrong, or give only the month
        if rng.random() < 0.08:
            when = when + timedelta(days=rng.choice([-1, 1]))
        date_text = when.isoformat() if rng.random() > 0.1 else when.isoformat()[:7]
        place = ev["place"]
        if place and rng.random() < 0.05:
            place = rng.choice(NEUTRAL_PLACES)
        verb = {"held": "met", "planned": "will meet", "proposed": "proposed to meet",
                "cancelled": "cancelled a planned meeting with", "denied": "denied meeting"}[ev["status"]]
        where = f" in {place}" if place else (" by phone" if ev["format"] == "phone" else
                                              " by video link" if ev["format"] == "video" else "")
        at = f" at the {ev['occasion']}" if ev["occasion"] else ""
        sentence = (f"{leader_label(x)} {verb} {leader_label(y)}{where}{at} on "
                    f"{when.strftime('%d %B %Y')}, officials said.")
        if k:
            w.add("\n\nIn a separate development, ")
        start, end = w.add(sentence)
        minutes = rng.choice([None, 30, 45, 60, 90, 120])
        meetings.append(MeetingReport(
            participants=[LEADERS[x][1], LEADERS[y][1]], date=date_text, place=place,
            occasion=ev["occasion"], status=ev["status"], format=ev["format"],
            scheduled_minutes=minutes,
            actual_minutes=(minutes + rng.choice([-15, 0, 0, 20]) if minutes and ev["status"] == "held"
                            else None),
            others_present=list(ev["others"]), evidence=sentence, evidence_start=start,
            evidence_end=end))
        w.add(f" The talks focused on {topic} and {rng.choice(TOPICS)}.")

    for _ in range(rng.randint(2, 6)):
        w.add("\n\n")
        roll = rng.random()
        if roll < 0.6:
            i = rng.choice((a, b)) if rng.random() < 0.8 else rng.randrange(len(LEADERS))
            title, name, country, _ = LEADERS[i]
            speaker, mention = name, rng.choice([f"{title} {name}", name, name.split()[-1]])
        elif roll < 0.8:
            speaker = rng.choice(ORGANISATIONS)
            mention = f"The {speaker}"
        elif roll < 0.95:
            speaker = rng.choice(SPOKESPEOPLE)
            mention = f"spokesperson {speaker}"
        else:
            speaker, mention = None, "a senior official"
        t = rng.choice(TOPICS) if rng.random() < 0.5 else topic
        cue = rng.choice(CUES)
        if rng.random() < 0.65:  # direct: “quote,” Mention said.
            quote = rng.choice(QUOTES).format(topic=t)
            w.add("“")
            qs, qe = w.add(quote)
            w.add("”, ")
            ms, me = w.add("the" + mention[3:] if mention.startswith("The ") else mention)
            w.add(f" {cue}.")
            kind = "direct"
        else:  # indirect: Mention said ...
            m_text = mention[0].upper() + mention[1:]
            ms, me = w.add(m_text)
            w.add(" ")
            cue = "said"
            w.add("said the government ")
            quote = f"{rng.choice(VERBS_GOOD + VERBS_BAD)} {t} and the next round of talks"
            qs, qe = w.add(quote)
            w.add(".")
            kind = "indirect"
        statements.append(Statement(
            speaker=speaker, speaker_mention=w.text()[ms:me], quote=quote, kind=kind, cue=cue,
            start=qs, end=qe, mention_start=ms, mention_end=me))

    w.add(f"\n\nReporting by the {rng.choice(OUTLETS)} desk, article {n}.")
    text = w.text()
    for s in statements:
        assert text[s.start:s.end] == s.quote, (s, text[s.start:s.end])
    title = (f"{LEADERS[a][1]} and {LEADERS[b][1]}: "
             f"{rng.choice(['talks on', 'row over', 'progress on', 'deal on', 'doubts over'])} {topic}")
    aid = content_id(text)
    source = rng.choice(OUTLETS)
    article = Article(id=aid, text=text, title=title, published=published, source=source,
                      url=f"https://news.example.org/{source.lower().replace(' ', '-')}/{n}",
                      origin=f"synthetic:{n}")
    return article, ArticleRecord(id=aid, statements=statements, meetings=meetings)


def bulk_write(store: Store, batch: list[tuple[Article, ArticleRecord]]) -> None:
    """Insert a batch of new articles and their records in one transaction: the rows
    `Store.save_record` writes for a new article (same helpers), one executemany per table.
    The FTS triggers keep the full-text index in step as they do for save_record."""
    with Session(store.engine) as session, session.begin():
        names = [s.speaker for _, r in batch for s in r.statements] + [
            name for _, r in batch for m in r.meetings for name in m.participants]
        actors = ensure_actors(session, names, store.is_organisation)
        articles, statements, meetings, links = [], [], [], []
        for article, record in batch:
            row = article_row(article)
            row.record_version = record.extractor_version
            articles.append({c.key: getattr(row, c.key) for c in ArticleRow.__table__.columns})
            statements += [statement_values(row, n, s, actors)
                           for n, s in enumerate(record.statements, start=1)]
            for n, m in enumerate(record.meetings, start=1):
                values = meeting_values(row.id, n, m)
                meetings.append(values)
                links += [{"meeting_report_id": values["id"], "actor_id": a}
                          for a in sorted({actors[p] for p in m.participants if p in actors})]
        for model, rows in ((ArticleRow, articles), (StatementRow, statements),
                            (MeetingReportRow, meetings), (MeetingParticipantRow, links)):
            if rows:
                session.execute(insert(model), rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/corpus_10k.db"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-link", action="store_true", help="skip linking")
    parser.add_argument("--full-link", action="store_true",
                        help="run all of link_meetings() (contradictions too: slow)")
    parser.add_argument("--batch", type=int, default=5000, help="articles per bulk transaction")
    parser.add_argument("--save-record", action="store_true",
                        help="write through Store.save_record, one transaction per article (slow)")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    events = make_events(rng, max(20, args.articles // 4))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.exists():
        args.out.unlink()
    t0 = time.perf_counter()
    store = Store(f"sqlite:///{args.out.resolve()}")
    with store:
        pending: list[tuple[Article, ArticleRecord]] = []
        seen: set[str] = set()
        for n in range(1, args.articles + 1):
            article, record = make_article(rng, n, events)
            if args.save_record:
                store.save_record(record, article)  # stores the article too, in one transaction
            elif article.id not in seen:  # texts are unique (each names its number); be safe
                seen.add(article.id)
                pending.append((article, record))
                if len(pending) >= args.batch:
                    bulk_write(store, pending)
                    pending = []
            if n % 10000 == 0:
                print(f"  {n} articles, {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        if pending:
            bulk_write(store, pending)
        t1 = time.perf_counter()
        summary = ({} if args.no_link else link_meetings(store) if args.full_link
                   else store.link_reports(linking.plan).as_dict())
        t2 = time.perf_counter()
        counts = store.counts()
    print(f"wrote {args.out}: {counts}")
    print(f"articles and records: {t1 - t0:.1f} s; linking: {t2 - t1:.1f} s; "
          f"total {t2 - t0:.1f} s")
    if summary:
        print("link summary: " + ", ".join(f"{k} {v}" for k, v in summary.items() if k != "changed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
