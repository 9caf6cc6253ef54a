"""The operators' HTTP API (FastAPI): the console and the CLI talk to a node through it."""

from hotline.api.app import create_app

__all__ = ["create_app"]
