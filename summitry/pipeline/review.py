"""A person's review and what follows from it across the record.

`Store.review` records the verdict and its audit entry (and, for a meeting report, remakes
its article's fact flags in the same transaction). Then: a meeting report's review may
change which canonical meeting it belongs to, so the reports are linked again; a statement's
changes the accounts of its article's meetings, so their contradictions are recomputed.
"""
from __future__ import annotations

from typing import Any

from .contradictions import update_contradictions
from .link import check_flags, link_meetings


def review(store, kind: str, record_id: str, action: str, *, by: str, why: str = "",
           changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Accept, correct or reject a statement or a meeting report (`kind` "statement" or
    "meeting_report"), then bring the record up to date; returns the audit entry.
    ReviewError (a ValueError) says what is wrong with the request."""
    entry = store.review(kind, record_id, action, by=by, why=why, changes=changes, check=check_flags)
    if kind == "meeting_report":
        link_meetings(store)  # the canonical meetings follow the report
    else:
        update_contradictions(store, [], articles=[entry["article_id"]])
    return entry
