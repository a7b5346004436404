"""The HTTP API: JSON routes under /api, an OpenAI-compatible /v1 and /healthz, behind one guard.

Routes only delegate to the Assistant (through the Loader, which answers 503 while the
index builds); request and response shapes are the pydantic models in `api_models.py`.
Errors become `{"error": {"code", "message"}}` through the one map in `http_errors.py`.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPBearer
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import messages
from .api_documents import documents_router
from .api_models import (
    AnswerOut,
    AskRequest,
    ChatRequest,
    ChatResponse,
    ErrorBody,
    Health,
    ModelList,
    PassageOut,
    SearchRequest,
    SearchResponse,
    SectionsOut,
    TargetsOut,
    ZoneOut,
    ZonesOut,
)
from .errors import AssistantError, BadQuestion, InvalidRequest, PayloadTooLarge, Unauthorized
from .http_errors import EXCEPTION_HANDLERS, error_response, status_for
from .library import Library
from .loader import Loader
from .render import footnotes, pieces
from .schema import Answer
from .settings import Settings

if TYPE_CHECKING:
    from .core import Assistant
else:  # the engine (chromadb, jieba, the model) loads in the background: the server listens first
    Assistant = Any

log = logging.getLogger(__name__)

MODEL_ID = "planning-assistant"
MAX_BODY = 64 * 1024
# One upload request: the readers' per-file limit (50 MiB) plus room for the multipart framing.
UPLOAD_BODY = 52 * 1024 * 1024
GUARDED = ("/api/", "/v1/")  # the prefixes that need the API key and have the body limit


# -- the guard in front of /api and /v1 ------------------------------------------------------
class Guard:
    """Checks the API key, then the body size, before anything reads the request.

    Runs as ASGI middleware rather than a route dependency so that a client without the
    key learns nothing (not even whether its JSON parses), and so a chunked upload
    cannot stream past `max_bytes`.
    """

    def __init__(
        self,
        app: ASGIApp,
        api_key: str = "",
        max_bytes: int = MAX_BODY,
        prefixes: tuple[str, ...] = GUARDED,
        uploads: int = UPLOAD_BODY,
    ) -> None:
        self.app, self.api_key, self.max_bytes, self.prefixes = app, api_key, max_bytes, prefixes
        self.uploads = uploads  # the body limit of POST /api/documents (files, not questions)

    def authorized(self, headers: dict[bytes, bytes]) -> bool:
        if not self.api_key:
            return True
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), self.api_key.encode()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not str(scope["path"]).startswith(self.prefixes)
            or scope["method"] == "OPTIONS"
        ):
            await self.app(scope, receive, send)  # CORS preflights carry no credentials
            return
        headers = dict(scope["headers"])
        if not self.authorized(headers):
            await reply(scope, receive, send, Unauthorized(messages.UNAUTHORIZED))
            return
        upload = scope["method"] == "POST" and str(scope["path"]).rstrip("/") == "/api/documents"
        limit = self.uploads if upload else self.max_bytes
        too_large = PayloadTooLarge(messages.TOO_LARGE.format(limit=limit))
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            bad = InvalidRequest(messages.BAD_CONTENT_LENGTH) if not declared.isdigit() else too_large
            await reply(scope, receive, send, bad)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await reply(scope, receive, send, too_large)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def reply(scope: Scope, receive: Receive, send: Send, exc: AssistantError) -> None:
    await error_response(status_for(exc), exc.code, exc.message)(scope, receive, send)


# -- dependencies ------------------------------------------------------------------------
def get_bot(request: Request) -> Assistant:
    loader: Loader = request.app.state.loader
    return loader.get()


Bot = Annotated[Assistant, Depends(get_bot)]


# -- OpenAI-compatible helpers -------------------------------------------------------------
def chat_turns(req: ChatRequest) -> tuple[str, list[dict[str, str]]]:
    """(question, history) from OpenAI messages: the last must be the user's; system turns are dropped."""
    turns: list[dict[str, str]] = []
    for m in req.messages:
        if m.role in ("system", "developer"):
            continue
        if isinstance(m.content, list):
            if any(part.type != "text" for part in m.content):
                raise BadQuestion(messages.TEXT_ONLY)
            text = "".join(part.text or "" for part in m.content)
        else:
            text = m.content or ""
        turns.append({"role": m.role, "content": text})
    if not turns or turns[-1]["role"] != "user":
        raise BadQuestion(messages.NO_USER_MESSAGE)
    return turns[-1]["content"], turns[:-1]


def completion(answer: Answer) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": footnotes(answer)},
                "finish_reason": "stop",
            }
        ],
        "citations": [c.to_dict() for c in answer.citations],
        "found": answer.found,
    }


def sse_chunks(answer: Answer) -> Iterator[str]:
    """OpenAI's stream: a role delta, content deltas, an empty delta with finish_reason, then [DONE].

    The last chunk also carries `citations`, so a client can show sources without parsing text.
    """
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
    }
    base["model"] = MODEL_ID

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: Any) -> str:
        body = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces(footnotes(answer)):
        yield chunk({"content": piece})
    yield chunk({}, "stop", citations=[c.to_dict() for c in answer.citations], found=answer.found)
    yield "data: [DONE]\n\n"


# -- routes ----------------------------------------------------------------------------------
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 413, 422, 503)
}


def api_router() -> APIRouter:
    r = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)

    @r.post("/ask", response_model=AnswerOut, summary="Answer a question, citing passages")
    def ask(req: AskRequest, bot: Bot) -> dict[str, Any]:
        history = [m.model_dump() for m in req.history] if req.history is not None else None
        return bot.ask(req.question, history, req.generate, req.documents).to_dict()

    @r.post("/search", response_model=SearchResponse, summary="Ranked passages for a query")
    def search(req: SearchRequest, bot: Bot) -> dict[str, Any]:
        hits = bot.search(req.query, req.k)
        return {
            "query": req.query,
            "hits": [
                {"rank": i, "score": round(h.score, 6), "why": h.why, **h.passage.to_dict()}
                for i, h in enumerate(hits, 1)
            ],
        }

    @r.get("/sections", response_model=SectionsOut, summary="Each plan's section tree")
    def sections(bot: Bot) -> dict[str, Any]:
        return {"documents": bot.sections()}

    @r.get("/passages/{passage_id}", response_model=PassageOut, summary="One passage by id")
    def passage(passage_id: str, bot: Bot) -> dict[str, Any]:
        return bot.passage(passage_id).to_dict()

    @r.get("/targets", response_model=TargetsOut, summary="Targets and baseline figures in the plans")
    def targets(bot: Bot) -> dict[str, Any]:
        return {"targets": [t.to_dict() for t in bot.targets()]}

    @r.get("/zones", response_model=ZonesOut, summary="Names of the zones the plans talk about")
    def zones(bot: Bot) -> dict[str, Any]:
        return {"zones": bot.zones()}

    @r.get("/zones/{name}", response_model=ZoneOut, summary="Every passage about one zone, by section")
    def zone(name: str, bot: Bot) -> dict[str, Any]:
        return bot.zone(name)

    return r


def openai_router() -> APIRouter:
    r = APIRouter(prefix="/v1", tags=["openai"], responses=ERRORS)

    @r.get("/models", response_model=ModelList, summary="The one model this server offers")
    def models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "planning-assistant"}],
        }

    @r.post(
        "/chat/completions",
        response_model=ChatResponse,
        summary="OpenAI-compatible chat; stream=true gives server-sent events",
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    def chat(req: ChatRequest, bot: Bot) -> Any:
        question, history = chat_turns(req)
        # Whole and verified before streaming starts: errors keep their status, and no text is withdrawn.
        answer = bot.ask(question, history, req.generate, req.documents)
        if req.stream:
            return StreamingResponse(
                sse_chunks(answer), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
            )
        return completion(answer)

    return r


def create_app(settings: Settings, bot: Assistant | None = None, loader: Loader | None = None) -> FastAPI:
    """The API app. Without `bot` (or `loader`) the index is loaded, or built, in the background."""
    loader = loader or (Loader.of(bot) if bot is not None else Loader.for_settings(settings))

    library = Library(settings, loader)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loader.start()

        # Once the lexical half answers, the vectors still missing are computed in the background.
        stop = threading.Event()

        def dense_when_ready() -> None:
            loader.ready.wait()
            library.start_dense()
            library.watch(stop=stop)  # another process may index while this one answers

        threading.Thread(target=dense_when_ready, name="library-watch", daemon=True).start()
        yield
        stop.set()

    # FastAPIOffline: /docs and /redoc serve Swagger UI and ReDoc from the package, not from a CDN.
    app = FastAPIOffline(
        title=messages.UI_TITLE,
        description="Questions about Chinese planning documents, answered with cited passages.",
        version="0.1.0",
        lifespan=lifespan,
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.loader = loader
    app.state.settings = settings
    app.state.library = library

    @app.get(
        "/healthz",
        response_model=Health,
        tags=["health"],
        summary="200 with the index's details when ready, 503 while it is being built",
        responses={503: {"model": ErrorBody}},
    )
    def healthz() -> dict[str, Any]:
        bot = loader.get()
        return {"status": "ready", **bot.info(), "dense": library.progress(), "llm": bot.llm_status()}

    # The Guard enforces the key; this dependency only declares it, for /docs' "Authorize" button.
    documented = [Depends(HTTPBearer(auto_error=False))] if settings.api_key else []
    app.include_router(api_router(), dependencies=documented)
    app.include_router(openai_router(), dependencies=documented)
    app.include_router(documents_router(), dependencies=documented)

    app.add_middleware(Guard, api_key=settings.api_key)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return app
