"""Canonical meetings as stored: writing what a link run planned, and reading a meeting
with its reports, the values they agree on and where they disagree (a part of `Store`).

The grouping itself is `summitry.link.linking` (pure); `summitry.pipeline.link` hands its
`plan` to `Store.link_reports`, which reads the stored state and writes the plan in one
transaction, holding the link lock so that two runs never create the same meetings.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.orm import Session

from ..link.linking import (DISPUTABLE, LinkState, LinkSummary, PlannedMeeting, Report, agreed_values,
                            disagreements)
from .db import one_writer
from .models import (ArticleRow, MeetingParticipantRow, MeetingRedirectRow, MeetingReportLinkRow,
                     MeetingReportRow, MeetingRow, PendingContradictionRow)
from .review import link_pins
from .rows import canonical_dict, meeting_row_dict, not_rejected


class MeetingTables:
    """Canonical meetings, their report links and redirects (a part of `Store`)."""

    def link_reports(self, plan: Callable[[LinkState], list[PlannedMeeting]],
                     now: datetime | None = None) -> LinkSummary:
        """Read the stored state, let `plan` decide the meetings, and bring the stored
        meetings, links and redirects in line with it without changing any meeting's id.
        Writes only what differs; one transaction under the link lock."""
        now = now or datetime.now(timezone.utc)
        with self._transaction(write=True) as session:
            one_writer(session)
            state = _link_state(session)
            summary = _write_plan(session, plan(state), state, now)
            # their contradictions are recomputed in a later transaction: noted here, so that a
            # run killed in between leaves the work for the next one (see pending_contradictions)
            noted = set(session.scalars(select(PendingContradictionRow.meeting_id)).all())
            session.add_all(PendingContradictionRow(meeting_id=m)
                            for m in sorted(set(summary.touched) | set(summary.gone)) if m not in noted)
            return summary

    def pending_contradiction_meetings(self) -> set[str]:
        """Meetings a link run changed whose contradictions have not been stored since."""
        with self._transaction() as session:
            return set(session.scalars(select(PendingContradictionRow.meeting_id)).all())

    def canonical_meetings(self, leader: str | None = None,
                           between: tuple[str, str] | None = None, *,
                           with_reports: bool = False) -> list[dict]:
        """Canonical meetings by date (undated last), with their number of reports and
        articles and the fields their reports disagree on. `leader` and `between` match
        participants as in `meetings`. `with_reports` adds each one's `report_rows` (as
        `canonical_meeting` gives its `reports`), read in the same query."""
        query = select(MeetingRow).order_by(MeetingRow.date.is_(None), MeetingRow.date, MeetingRow.id)
        with self._transaction() as session:
            for name in ([leader] if leader else []) + list(between or []):
                query = query.where(_meeting_has_participant(self._actor_ids(session, name)))
            rows = session.scalars(query).all()
            linked = _linked_reports(session, [row.id for row in rows])
        listed = []
        for row in rows:
            ordered = _ordered_reports(linked[row.id])
            reports = [report for report, _, _ in ordered]
            # copies of one story count once: `reports` counts one report per story and
            # position (ten copies of a wire story are one report), `copies` every stored one
            listed.append({**canonical_dict(row), "reports": counted_reports(reports), "copies": len(reports),
                           "articles": len({r.article_id for r in reports}),
                           "stories": len({r.story for r in reports}),
                           "disputed": sorted(disagreements(reports),
                                              key=DISPUTABLE.index)})
            if with_reports:
                listed[-1]["report_rows"] = _shown_reports(ordered)
        return listed

    def canonical_meeting(self, meeting_id: str) -> dict | None:
        """One canonical meeting with its reports, the values they agree on and, for each
        field they disagree on, every value with its sources. A merged meeting's old id
        leads to the meeting it was merged into (`redirected_from` says so). None if unknown."""
        with self._transaction() as session:
            row = session.get(MeetingRow, meeting_id)
            redirected_from = None
            if row is None:
                target = session.scalar(select(MeetingRedirectRow.new_id)
                                        .where(MeetingRedirectRow.old_id == meeting_id))
                row = session.get(MeetingRow, target) if target else None
                redirected_from = meeting_id if row is not None else None
            if row is None:
                return None
            linked = _linked_reports(session, [row.id])[row.id]
            merged_ids = sorted(session.scalars(select(MeetingRedirectRow.old_id)
                                                .where(MeetingRedirectRow.new_id == row.id)))
        ordered = _ordered_reports(linked)
        reports = [report for report, _, _ in ordered]
        shown_reports = _shown_reports(ordered)
        return {**canonical_dict(row), "redirected_from": redirected_from,
                "merged_ids": merged_ids, "agreed": agreed_values(reports) if reports else {},
                "disagreements": disagreements(reports), "reports": shown_reports}

    def link_state(self) -> LinkState:
        """What a link run would start from (reports, links, redirects, pins, creation
        times), read without the link lock: for measuring the rules on a store."""
        with self._transaction() as session:
            return _link_state(session)

    def report_meeting_ids(self) -> dict[str, str]:
        """The canonical meeting of every linked meeting report: {report id: meeting id}."""
        with self._transaction() as session:
            return dict(session.execute(select(MeetingReportLinkRow.meeting_report_id,
                                               MeetingReportLinkRow.meeting_id)).all())



def _link_state(session: Session) -> LinkState:
    query = (select(MeetingReportRow, ArticleRow.published, ArticleRow.title, ArticleRow.story_id)
             .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
             .where(not_rejected(MeetingReportRow)))
    return LinkState(
        reports=[report_of(*found) for found in session.execute(query)],
        links=dict(session.execute(select(MeetingReportLinkRow.meeting_report_id,
                                          MeetingReportLinkRow.meeting_id)).all()),
        redirects=dict(session.execute(select(MeetingRedirectRow.old_id, MeetingRedirectRow.new_id)).all()),
        pins=link_pins(session),
        created=dict(session.execute(select(MeetingRow.id, MeetingRow.created_at)).all()))


def report_of(row: MeetingReportRow, published: date | None, title: str | None,
              story_id: str | None = None) -> Report:
    """A stored report as the linker sees it (`story_id`: its article's story)."""
    return Report(
        id=row.id, article_id=row.article_id, participants=tuple(row.participants or ()),
        date=row.date, place=row.place, occasion=row.occasion, status=row.status,
        format=row.format, scheduled_minutes=row.scheduled_minutes,
        actual_minutes=row.actual_minutes, others_present=tuple(row.others_present or ()),
        published=published, article_title=title, evidence=row.evidence,
        evidence_start=row.evidence_start, evidence_end=row.evidence_end, story_id=story_id)


def _write_plan(session: Session, planned: list[PlannedMeeting], state: LinkState, now: datetime) -> LinkSummary:
    links = state.links
    stored = {row.id: row for row in session.scalars(select(MeetingRow))}
    summary = LinkSummary()
    linked_before: dict[str, set[str]] = defaultdict(set)  # meeting id -> its reports before this run
    for report_id, meeting_id in links.items():
        linked_before[meeting_id].add(report_id)
    for meeting in planned:
        _write_meeting(session, meeting, stored, now, summary)
        _merge(session, meeting.merged, meeting.id, now, summary)
        _write_links(session, meeting.id, meeting.reports, links, meeting.merged, summary)
        if meeting.id in summary.changed or linked_before[meeting.id] != {r.id for r in meeting.reports}:
            summary.touched.append(meeting.id)
    # reports no longer linked at all (a person rejected them) lose their link
    grouped = {r.id for m in planned for r in m.reports}
    unlinked = sorted(set(links) - grouped)
    if unlinked:
        session.execute(delete(MeetingReportLinkRow).where(MeetingReportLinkRow.meeting_report_id.in_(unlinked)))
        summary.touched += sorted({links[r] for r in unlinked} - set(summary.touched))
    kept = {m.id for m in planned}
    merged = {old for m in planned for old in m.merged}
    orphans = sorted(set(stored) - kept - merged)
    if orphans:
        session.execute(delete(MeetingRow).where(MeetingRow.id.in_(orphans)))
    summary.removed = len(orphans)
    summary.gone = sorted(merged) + orphans
    summary.meetings = len(kept)
    summary.linked_reports = sum(len(m.reports) for m in planned)
    return summary


def _write_meeting(session: Session, meeting: PlannedMeeting, stored: dict[str, MeetingRow],
                   now: datetime, summary: LinkSummary) -> None:
    values = meeting.values
    # A new group may get the id of a meeting left without reports (its article re-extracted,
    # the same first report): that row is reused, so the meeting keeps its id and created_at.
    row = stored.get(meeting.id)
    if row is None:
        session.execute(insert(MeetingRow), [{"id": meeting.id, **values,
                                              "created_at": now, "updated_at": now}])
        summary.new_meetings += 1
        summary.changed.append(meeting.id)
    elif any(getattr(row, name) != value for name, value in values.items()):
        session.execute(update(MeetingRow).where(MeetingRow.id == meeting.id)
                        .values(**values, updated_at=now))
        summary.updated += 1
        summary.changed.append(meeting.id)

def _merge(session: Session, merged_ids: list[str], into: str, now: datetime,
           summary: LinkSummary) -> None:
    """Merged meetings become redirects to `into`; redirects to them follow (one hop)."""
    if not merged_ids:
        return
    session.execute(update(MeetingReportLinkRow).where(MeetingReportLinkRow.meeting_id.in_(merged_ids))
                    .values(meeting_id=into))
    session.execute(update(MeetingRedirectRow).where(MeetingRedirectRow.new_id.in_(merged_ids))
                    .values(new_id=into))
    session.execute(insert(MeetingRedirectRow),
                    [{"old_id": old, "new_id": into, "merged_at": now} for old in merged_ids])
    session.execute(delete(MeetingRow).where(MeetingRow.id.in_(merged_ids)))
    session.execute(update(MeetingRow).where(MeetingRow.id == into).values(updated_at=now))
    summary.merged += len(merged_ids)
    if into not in summary.changed:
        summary.changed.append(into)


def _write_links(session: Session, meeting_id: str, group: list[Report], links: dict[str, str],
                 merged_ids: list[str], summary: LinkSummary) -> None:
    new = [r.id for r in group if r.id not in links]
    moved = [r.id for r in group
             if r.id in links and links[r.id] != meeting_id and links[r.id] not in merged_ids]
    if new:
        session.execute(insert(MeetingReportLinkRow),
                        [{"meeting_report_id": rid, "meeting_id": meeting_id} for rid in new])
    if moved:
        session.execute(update(MeetingReportLinkRow)
                        .where(MeetingReportLinkRow.meeting_report_id.in_(moved))
                        .values(meeting_id=meeting_id))
        if meeting_id not in summary.changed:
            summary.changed.append(meeting_id)
    summary.reports_linked += len(new)
    summary.moved += len(moved)


def counted_reports(reports: list[Report]) -> int:
    """Reports counted once per story: each story counts as many reports as the one of its
    copies that gives the most (ten copies of a wire story that each report the meeting once
    are one report)."""
    per_article = Counter(report.article_id for report in reports)
    per_story: dict[str, int] = {}
    for report in reports:
        per_story[report.story] = max(per_story.get(report.story, 0), per_article[report.article_id])
    return sum(per_story.values())


def _meeting_has_participant(actor_ids: list[int]):
    """A canonical meeting with one of the actors: through its reports' participants, which
    all name the same leaders."""
    return exists().where(MeetingReportLinkRow.meeting_id == MeetingRow.id,
                          MeetingParticipantRow.meeting_report_id == MeetingReportLinkRow.meeting_report_id,
                          MeetingParticipantRow.actor_id.in_(actor_ids))


def _ordered_reports(linked: list[tuple]) -> list[tuple]:
    """(the linker's view, the stored row, its article's title) of `_linked_reports` rows,
    in the canonical order."""
    return sorted(((report_of(*found), found[0], found[2]) for found in linked),
                  key=lambda item: item[0].sort_key())


def _shown_reports(ordered: list[tuple]) -> list[dict[str, Any]]:
    return [meeting_row_dict(report_row, title) | {"published": report.source()["published"],
                                                   "story_id": report.story}
            for report, report_row, title in ordered]


def _linked_reports(session: Session, meeting_ids: list[str]) -> dict[str, list[tuple]]:
    """(report row, article published, article title, article story) of each meeting's reports,
    by meeting id."""
    grouped: dict[str, list[tuple]] = {meeting_id: [] for meeting_id in meeting_ids}
    for chunk_start in range(0, len(meeting_ids), 500):  # bound the size of IN (...)
        chunk = meeting_ids[chunk_start:chunk_start + 500]
        query = (select(MeetingReportLinkRow.meeting_id, MeetingReportRow, ArticleRow.published,
                        ArticleRow.title, ArticleRow.story_id)
                 .join(MeetingReportRow, MeetingReportRow.id == MeetingReportLinkRow.meeting_report_id)
                 .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
                 .where(MeetingReportLinkRow.meeting_id.in_(chunk)))
        for meeting_id, row, published, title, story_id in session.execute(query):
            grouped[meeting_id].append((row, published, title, story_id))
    return grouped

