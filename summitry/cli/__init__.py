"""The `summitry` command line: `app` (Typer) and `main` (the console entry point).

    app.py          the app and the order of its commands
    options.py      options shared by several commands
    output.py       consoles, errors, exit codes, JSON, progress, tables
    ingest.py       ingest, extract, demo, eval
    records.py      meetings, statements, show
    linking.py      link, meeting, flags, contradictions
    commitments.py  commitments, commitment
    analysis.py     timeline, brief
    review.py       candidates, confirm, dismiss (the review queue of findings)
    serve.py        serve, version
"""
from .app import app, main
from .records import marked_text

__all__ = ["app", "main", "marked_text"]
