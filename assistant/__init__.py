"""规划问答助手: answers questions about Chinese planning documents, every answer backed by cited passages."""

from .core import Assistant
from .errors import AssistantError, BadQuestion, IndexUnavailable, NotFound
from .schema import Answer, Citation, Hit, Passage, Target
from .settings import Settings

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
