"""One process, one port: the JSON/OpenAI API with the Gradio UI mounted at "/", served by uvicorn.

The socket opens at once; the index loads (or builds, if missing) in a background
thread, and until then /healthz and the API answer 503 and the UI says so.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI

from .api import create_app
from .core import Assistant
from .feedback import FeedbackStore
from .loader import Loader
from .settings import Settings


def build_app(settings: Settings, bot: Assistant | None = None, loader: Loader | None = None) -> FastAPI:
    """The API routes first, then the UI at "/" (routes declared after the mount would be shadowed)."""
    from .ui import mount_ui  # gradio is imported only here, and only when serving the UI

    app = create_app(settings, bot=bot, loader=loader)
    return mount_ui(app, app.state.loader, settings, FeedbackStore.for_dir(settings.data_dir))


def serve(settings: Settings) -> None:
    """Run the server on settings.host:settings.port until interrupted."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = build_app(settings)
    # One process: the Assistant and its index live in memory once; requests run in uvicorn's threadpool.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", server_header=False)
