"""One process, one port: the JSON/OpenAI API with the Gradio UI mounted at "/", served by uvicorn.

The socket opens at once. The index loads (or is brought up to date) in a background thread,
and until then /healthz and the API answer 503. The UI comes up in the background too:
importing gradio takes seconds, so `serve` mounts a placeholder at "/" that says the page is
loading (and refreshes itself) until the Gradio app is built, then hands every request to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from . import messages
from .api import create_app
from .feedback import FeedbackStore
from .loader import Loader
from .settings import Settings

log = logging.getLogger(__name__)

LOADING_PAGE = (
    "<!doctype html><meta charset='utf-8'><meta http-equiv='refresh' content='1'>"
    f"<title>{messages.UI_TITLE}</title><p style='font-family:sans-serif;color:#4b5563'>{messages.UI_LOADING}</p>"
)


class LazyUI:
    """An ASGI app that serves a loading page until `build()` (run in a thread) has made the real one."""

    def __init__(self, build: Callable[[], FastAPI]) -> None:
        self.build = build
        self.app: FastAPI | None = None
        self._lifespan: Any = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        app = await loop.run_in_executor(None, self.build)
        # Gradio's queue starts in its app's lifespan, which the outer server has already run.
        self._lifespan = app.router.lifespan_context(app)
        await self._lifespan.__aenter__()
        self.app = app
        log.info("UI ready")

    async def stop(self) -> None:
        if self._lifespan is not None:
            await self._lifespan.__aexit__(None, None, None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.app is not None:
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # websockets and lifespan before the UI exists: nothing to serve
        body = LOADING_PAGE.encode()
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send(
            {"type": "http.response.start", "status": 503, "headers": headers + [(b"retry-after", b"1")]}
        )
        await send({"type": "http.response.body", "body": body})


def build_app(
    settings: Settings, bot: Any = None, loader: Loader | None = None, lazy_ui: bool = False
) -> FastAPI:
    """The API routes first, then the UI at "/" (routes declared after the mount would be shadowed).

    lazy_ui=True: the UI is built in the background after the server starts (see LazyUI).
    """
    app = create_app(settings, bot=bot, loader=loader)
    store = FeedbackStore.for_dir(settings.data_dir)
    if not lazy_ui:
        from .ui import mount_ui  # gradio is imported only by the UI modules

        return mount_ui(app, app.state.loader, settings, store)

    def build() -> FastAPI:
        from .ui import mount_ui

        host = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
        host.state.library = app.state.library
        return mount_ui(host, app.state.loader, settings, store)

    ui = LazyUI(build)
    app.mount("/", ui)
    outer = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[Any]:
        async with outer(a) as state:
            task = asyncio.create_task(ui.start())
            yield state
            task.cancel()
            await ui.stop()

    app.router.lifespan_context = lifespan
    return app


def serve(settings: Settings) -> None:
    """Run the server on settings.host:settings.port until interrupted."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = build_app(settings, lazy_ui=True)
    # One process: the Assistant and its index live in memory once; requests run in uvicorn's threadpool.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", server_header=False)
