"""The assistant's errors, one hierarchy for every layer.

    AssistantError
     ├── BadQuestion        the question or history is malformed      (HTTP 400/422)
     ├── NotFound           an id, section or zone does not exist     (HTTP 404)
     ├── IndexUnavailable   the index is missing, stale or being built (HTTP 503)
     ├── CorpusError        the corpus folder has no readable plan     (HTTP 503)
     ├── UnreadableDocument a file cannot be read as a document        (HTTP 400/413/415/422)
     ├── Conflict           a duplicate upload, or a document not ready (HTTP 409)
     ├── LLMError           the optional LLM failed (always caught: we fall back)
     │   raised only at the HTTP edge:
     ├── InvalidRequest     the body is not JSON or not the request model (HTTP 422)
     ├── Unauthorized       the API key is missing or wrong            (HTTP 401)
     └── PayloadTooLarge    the body is over the size limit            (HTTP 413)

Library exceptions (chromadb, jieba, the HTTP client) are wrapped where they
occur; the API maps these classes to status codes in one table.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class; `code` is the stable machine-readable name in API errors."""

    code = "assistant_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadQuestion(AssistantError):
    code = "bad_question"


class NotFound(AssistantError):
    code = "not_found"


class IndexUnavailable(AssistantError):
    code = "index_unavailable"


class CorpusError(AssistantError):
    code = "corpus_error"


class Conflict(AssistantError):
    """The request clashes with the library's state: the same content is there already, or a change waits."""

    code = "conflict"


class UnreadableDocument(AssistantError):
    """A file that is not a readable document: unknown type, encrypted, empty, damaged, too large.

    The message names the file and says what to do; `status` is the HTTP status for it.
    """

    code = "unreadable_document"

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class LLMError(AssistantError):
    code = "llm_error"


class InvalidRequest(AssistantError):
    """The body is not JSON or does not match the request model (as opposed to a bad question)."""

    code = "invalid_request"


class Unauthorized(AssistantError):
    code = "unauthorized"


class PayloadTooLarge(AssistantError):
    code = "payload_too_large"
