"""Loads the Assistant in a background thread so the server listens at once.

Building a missing index takes ~15 s; until it is ready every request that needs
the engine gets IndexUnavailable (HTTP 503), and /healthz says "building".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import messages
from .errors import AssistantError, IndexUnavailable

if TYPE_CHECKING:
    from .core import Assistant
    from .settings import Settings

log = logging.getLogger(__name__)


class Loader:
    """Holds the Assistant once loaded; `get()` raises IndexUnavailable until then.

    Example:
        loader = Loader.for_settings(settings); loader.start()
        loader.get()  -> IndexUnavailable while building, then the Assistant
    """

    def __init__(self, load: Callable[[], Assistant]) -> None:
        self._load = load
        self._bot: Assistant | None = None
        self._error: AssistantError | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.ready = threading.Event()

    @classmethod
    def for_settings(cls, settings: Settings) -> Loader:
        """Load on the lexical half (answers within seconds even for hundreds of documents);
        the library's background thread computes the vectors still missing."""

        def load() -> Assistant:
            from .core import Assistant

            return Assistant.load(settings, dense=False)

        return cls(load)

    def replace(self, bot: Assistant) -> None:
        """Serve `bot` from now on (the library changed); requests in flight finish on the old one."""
        self._bot = bot
        self._error = None
        self.ready.set()

    @classmethod
    def of(cls, bot: Assistant) -> Loader:
        """A loader that already holds `bot` (tests, embedding in another app)."""
        loader = cls(lambda: bot)
        loader._bot = bot
        loader.ready.set()
        return loader

    def start(self) -> None:
        """Begin loading in a daemon thread (once; later calls do nothing)."""
        with self._lock:
            if self._thread is not None or self._bot is not None:
                return
            self._thread = threading.Thread(target=self._run, name="index-loader", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._bot = self._load()
            log.info("index ready")
        except AssistantError as exc:
            self._error = exc
            log.error("index unavailable: %s", exc.message)
        except Exception as exc:  # a crash here must still answer 503, not hang in "building"
            self._error = IndexUnavailable(f"索引加载失败 / index failed to load: {exc}")
            log.exception("index failed to load")
        finally:
            self.ready.set()

    @property
    def state(self) -> str:
        """One of: ready, building, failed."""
        if self._bot is not None:
            return "ready"
        return "failed" if self._error is not None else "building"

    def get(self) -> Assistant:
        if self._bot is not None:
            return self._bot
        if self._error is not None:
            raise type(self._error)(self._error.message)
        raise IndexUnavailable(messages.INDEX_BUILDING)
