"""Web app: JSON API + Vietnamese chat/knowledge interface over the ``Assistant`` facade.

``create_app(settings, assistant=None)`` builds the app; ``app_factory()`` reads ``Settings()`` for
``uvicorn --factory bots.web:app_factory --workers N``.
"""

from .app import app_factory, create_app

__all__ = ["app_factory", "create_app"]
