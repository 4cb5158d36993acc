"""What `watch` keeps between runs (a part of `Store`): per URL the validators of the last
answer and the article stored from it, and per saved query the matches already sent."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, select

from .models import AlertStateRow, FetchStateRow


class FetchTables:
    """Fetch state of feeds and pages, and alert state of saved queries (a part of `Store`)."""

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        with self._transaction() as session:
            row = session.get(FetchStateRow, url)
            return None if row is None else _state_dict(row)

    def fetch_states(self, urls: list[str]) -> dict[str, dict[str, Any]]:
        """{url: its state} of those of `urls` that were fetched before."""
        found: dict[str, dict[str, Any]] = {}
        with self._transaction() as session:
            for start in range(0, len(urls), 500):
                for row in session.scalars(select(FetchStateRow).where(FetchStateRow.url.in_(urls[start:start + 500]))):
                    found[row.url] = _state_dict(row)
        return found

    def failed_pages(self, max_attempts: int) -> list[str]:
        """Pages whose last fetch failed fewer than `max_attempts` times in a row: retried."""
        with self._transaction() as session:
            return list(session.scalars(select(FetchStateRow.url).where(
                FetchStateRow.kind == "page", FetchStateRow.article_id.is_(None),
                FetchStateRow.error.is_not(None), FetchStateRow.attempts < max_attempts)
                .order_by(FetchStateRow.fetched_at, FetchStateRow.url)))

    def record_fetch(self, url: str, kind: str, *, etag: str | None = None, last_modified: str | None = None,
                     article_id: str | None = None, error: str | None = None,
                     keep_validators: bool = False) -> None:
        """Store what a fetch of `url` gave: on success (no `error`) its validators and
        article; on failure the error, one more failure in a row, the earlier validators kept.
        `keep_validators`: a 304 (the stored validators still hold)."""
        now = datetime.now(timezone.utc)
        with self._transaction(write=True) as session:
            row = session.get(FetchStateRow, url)
            if row is None:
                row = FetchStateRow(url=url, kind=kind, attempts=0, fetched_at=now)
                session.add(row)
            row.fetched_at = now
            if error is not None:
                row.error, row.attempts = error, (row.attempts or 0) + 1
                return
            row.error, row.attempts = None, 0
            if not keep_validators:
                row.etag, row.last_modified = etag, last_modified
            if article_id is not None:
                row.article_id = article_id

    # --- alerts ---------------------------------------------------------------------------

    def alert_digests(self, alert: str) -> dict[str, str] | None:
        """{match key: digest} of what the alert has sent; None for an alert never run."""
        with self._transaction() as session:
            rows = session.execute(select(AlertStateRow.item, AlertStateRow.digest)
                                   .where(AlertStateRow.alert == alert)).all()
        if not rows:
            return None
        return {item: digest for item, digest in rows if item != ""}

    def record_alert(self, alert: str, items: dict[str, str]) -> None:
        """Remember matches as sent ({match key: digest}); with none, only that the alert ran
        (its baseline)."""
        now = datetime.now(timezone.utc)
        with self._transaction(write=True) as session:
            keys = [""] + list(items)
            for start in range(0, len(keys), 500):
                session.execute(delete(AlertStateRow).where(AlertStateRow.alert == alert,
                                                            AlertStateRow.item.in_(keys[start:start + 500])))
            session.add_all([AlertStateRow(alert=alert, item=key, digest=items.get(key, ""), sent_at=now)
                             for key in keys])


def _state_dict(row: FetchStateRow) -> dict[str, Any]:
    return {"url": row.url, "kind": row.kind, "etag": row.etag, "last_modified": row.last_modified,
            "article_id": row.article_id, "error": row.error, "attempts": row.attempts,
            "fetched_at": row.fetched_at.isoformat() if row.fetched_at else None}
