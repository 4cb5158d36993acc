"""Charts of the desk as Vega-Lite specs, rendered to SVG on the server (vl-convert).

The page gets a plain inline <svg>: no script, no CDN, nothing for a Content-Security-Policy
to allow, and every mark that stands for a meeting is an <a> to its page (Vega's `href`
channel). Text from articles (places, occasions) reaches the SVG only as Vega's escaped
text. The specs are plain JSON (`pair_timeline_spec`, `per_year_spec`), also given in the
pages' JSON, so a client may render them itself (vega-embed).

vl-convert resolves a relative href against its own base URL, so the links are absolute
(the request's base URL). Rendering takes ~0.3 s (2 s for the first one of a process): the
SVG of each spec is cached.
"""
from __future__ import annotations

import json
import logging
import threading
from functools import lru_cache
from typing import Any

from markupsafe import Markup

log = logging.getLogger("summitry.web")

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# the meeting statuses in the order they are listed, with the page's colours (summitry.css)
STATUSES = ["held", "planned", "proposed", "cancelled", "denied"]
COLOURS = ["#2e8b57", "#1f5fa8", "#7aa6d8", "#c0392b", "#8e44ad"]
SHAPES = ["circle", "triangle-up", "diamond", "cross", "square"]
FONT = "DejaVu Sans"


def _config() -> dict[str, Any]:
    return {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11},
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "top"}}


def pair_timeline_spec(entries: list[dict[str, Any]], base: str) -> dict[str, Any] | None:
    """A pair's encounters on a time axis, one row per status (held, planned, cancelled, ...),
    coloured and shaped by status; a stored meeting's mark links to its page (faded when the
    reference record says it did not take place), a reference encounter (no stored report)
    is drawn hollow. None when no encounter is dated."""
    values = []
    for e in entries:
        if not e.get("date"):
            continue
        value = {"date": e["date"], "status": e["status"], "source": e["source"],
                 "place": e.get("place") or "", "occasion": e.get("occasion") or "",
                 "reports": e.get("reports") or 0,
                 "what": "stored meeting" if e["source"] == "record" else "reference record only",
                 # the reference record says it did not take place: drawn faded
                 "non_event": bool(e.get("non_event"))}
        if e.get("href"):  # a reference encounter has no page: no link (not a link to "null")
            value["link"] = base + e["href"]
        values.append(value)
    if not values:
        return None
    statuses = [s for s in STATUSES if any(v["status"] == s for v in values)] + sorted(
        {v["status"] for v in values} - set(STATUSES))
    encoding = {
        "x": {"field": "date", "type": "temporal", "title": None, "scale": {"type": "utc", "padding": 24},
              "axis": {"format": "%Y", "grid": True, "tickCount": "year"}},
        "y": {"field": "status", "type": "nominal", "title": None, "sort": statuses},
        "color": _status_scale(statuses),
        "shape": {"field": "status", "type": "nominal", "legend": None,
                  "scale": {"domain": STATUSES, "range": SHAPES}},
        "tooltip": [{"field": "date", "title": "date"}, {"field": "status"}, {"field": "place"},
                    {"field": "occasion"}, {"field": "reports"}, {"field": "what", "title": "source"}],
    }
    # two layers: stored meetings filled and linked; reference encounters hollow, unlinked
    # (an href channel on a datum without a link would make a link to "undefined")
    return {
        "$schema": SCHEMA, "width": 760, "height": 40 + 34 * len(statuses), "config": _config(),
        "data": {"values": values}, "encoding": encoding,
        "layer": [
            {"transform": [{"filter": "datum.source === 'record'"}],
             "mark": {"type": "point", "size": 150, "filled": True, "cursor": "pointer"},
             "encoding": {"href": {"field": "link"},
                          "opacity": {"condition": {"test": "datum.non_event", "value": 0.3}, "value": 0.9}}},
            {"transform": [{"filter": "datum.source !== 'record'"}],
             "mark": {"type": "point", "size": 150, "filled": False, "strokeWidth": 2}},
        ],
    }


def per_year_spec(counts: list[tuple[str, str, int]], base: str, listing: str = "/meetings/linked") -> dict[str, Any] | None:
    """Meetings per year, stacked by status; each bar segment links to the listing of that
    year and status. `counts`: (year, status, meetings). None without any."""
    values = [{"year": year, "status": status, "meetings": n,
               "link": f"{base}{listing}?year={year}&status={status}"}
              for year, status, n in counts if year and year.isdigit()]
    if not values:
        return None
    statuses = [s for s in STATUSES if any(v["status"] == s for v in values)] + sorted(
        {v["status"] for v in values} - set(STATUSES))
    years = sorted({v["year"] for v in values})
    return {
        "$schema": SCHEMA, "width": max(300, min(900, 28 * len(years))), "height": 180, "config": _config(),
        "data": {"values": values},
        "mark": {"type": "bar", "cursor": "pointer"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None, "sort": years,
                  "axis": {"labelAngle": -45 if len(years) > 12 else 0}},
            "y": {"field": "meetings", "type": "quantitative", "title": "meetings", "axis": _count_axis(values)},
            "color": _status_scale(statuses),
            "order": {"field": "status", "sort": "ascending"},
            "href": {"field": "link"},
            "tooltip": [{"field": "year"}, {"field": "status"}, {"field": "meetings"}],
        },
    }


def _count_axis(values: list[dict[str, Any]]) -> dict[str, Any]:
    """An axis of whole counts. The renderer ignores `tickMinStep` and puts ticks at 0.5
    steps on short bars, so ticks are listed outright when the tallest bar is small."""
    totals: dict[str, int] = {}
    for v in values:
        totals[v["year"]] = totals.get(v["year"], 0) + v["meetings"]
    tallest = max(totals.values(), default=0)
    axis: dict[str, Any] = {"format": "d", "tickMinStep": 1}
    if tallest <= 10:
        axis["values"] = list(range(0, tallest + 1))
    return axis


def _status_scale(statuses: list[str]) -> dict[str, Any]:
    colours = [COLOURS[STATUSES.index(s)] if s in STATUSES else "#888888" for s in statuses]
    return {"field": "status", "type": "nominal", "title": "status",
            "scale": {"domain": statuses, "range": colours}}


def svg(spec: dict[str, Any] | None) -> Markup | None:
    """The chart as inline SVG markup, or None (no spec, or vl-convert missing or failing:
    the page then shows its lists alone)."""
    if spec is None:
        return None
    return _render(json.dumps(spec, sort_keys=True))


_warming: list[threading.Thread] = []


def warm_up() -> None:
    """Start vl-convert's engine in the background (once a process): its first chart takes
    2-4 s, which would otherwise fall on the first visitor of the home page."""
    if _warming:
        return
    thread = threading.Thread(target=lambda: svg(per_year_spec([("2000", "held", 1)], "")),
                              name="chart-warm-up", daemon=True)
    _warming.append(thread)
    thread.start()


@lru_cache(maxsize=128)
def _render(spec_json: str) -> Markup | None:
    try:
        import vl_convert
    except ImportError:  # an optional dependency in effect: the lists carry the same data
        log.warning("vl-convert-python is not installed: charts are left out")
        return None
    try:
        out = vl_convert.vegalite_to_svg(json.loads(spec_json))
    except Exception as exc:  # noqa: BLE001 - a chart must never break its page
        log.error("chart not rendered: %s", exc)
        return None
    # vl-convert's SVG: generated from the spec, every text in it escaped by Vega
    return Markup(out)
