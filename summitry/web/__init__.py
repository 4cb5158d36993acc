"""The web app (FastAPI, server-rendered Jinja2 pages, every page also JSON): `create_app`."""
from .app import create_app

__all__ = ["create_app"]
