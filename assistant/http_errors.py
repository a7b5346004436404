"""HTTP errors: the one table from error class to status, and the exception handlers that use it.

Every error leaves as `{"error": {"code", "message"}}`. The whole hierarchy, including the
three classes raised only at the HTTP edge, is drawn in `errors.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import messages
from .errors import (
    AssistantError,
    BadQuestion,
    Conflict,
    CorpusError,
    IndexUnavailable,
    InvalidRequest,
    LLMError,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnreadableDocument,
)

log = logging.getLogger(__name__)


# The one table from error class to HTTP status; a subclass inherits its parent's status.
STATUS: dict[type[AssistantError], int] = {
    BadQuestion: 400,
    InvalidRequest: 422,
    Unauthorized: 401,
    NotFound: 404,
    PayloadTooLarge: 413,
    LLMError: 502,
    IndexUnavailable: 503,
    CorpusError: 503,
    Conflict: 409,
    UnreadableDocument: 422,  # or the error's own status: 400 name, 413 size, 415 type
}


def status_for(exc: AssistantError) -> int:
    if isinstance(exc, UnreadableDocument):
        return exc.status
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def error_response(status: int, code: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


# -- exception handlers (starlette style: class -> handler) ------------------------------
async def on_assistant_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AssistantError)
    return error_response(status_for(exc), exc.code, exc.message)


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "invalid_json", messages.INVALID_JSON)
    detail = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in errors[:5]
    )
    err = InvalidRequest(messages.INVALID_REQUEST.format(detail=detail))
    return error_response(status_for(err), err.code, err.message)


# Starlette's own errors, in the same bilingual words as ours.
HTTP_MESSAGES = {
    404: ("not_found", messages.NO_ROUTE),
    405: ("method_not_allowed", messages.BAD_METHOD),
}


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, text = HTTP_MESSAGES.get(exc.status_code, ("http_error", ""))
    if not text:
        detail = str(exc.detail)
        multipart = "multipart" in detail.lower() or "boundary" in detail.lower()
        code, text = ("invalid_upload", messages.BAD_MULTIPART) if multipart else (code, detail)
        if multipart:
            return error_response(400, code, text)
    return error_response(exc.status_code, code, text.format(path=request.url.path, method=request.method))


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s", request.url.path)
    return error_response(500, "internal_error", messages.INTERNAL)


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Any]] = {
    AssistantError: on_assistant_error,
    RequestValidationError: on_validation_error,
    StarletteHTTPException: on_http_error,
    Exception: on_unexpected,
}
