"""规划问答助手: answers questions about Chinese planning documents, every answer backed by cited passages."""

from typing import TYPE_CHECKING, Any

from .errors import AssistantError, BadQuestion, IndexUnavailable, NotFound
from .schema import Answer, Citation, Hit, Passage, Target
from .settings import Settings

if TYPE_CHECKING:
    from .core import Assistant

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "BadQuestion",
    "Citation",
    "Hit",
    "IndexUnavailable",
    "NotFound",
    "Passage",
    "Settings",
    "Target",
]


def __getattr__(name: str) -> Any:
    """`Assistant` is imported on first use: the engine's imports take seconds, the server's must not."""
    if name == "Assistant":
        from .core import Assistant

        return Assistant
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
