"""The web faces: server-rendered UI and the JSON API, built by `create_app(settings)`."""

from quarterdeck.web.app import create_app

__all__ = ["create_app"]
