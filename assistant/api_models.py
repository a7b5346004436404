"""Request and response shapes of the HTTP API, as pydantic models (they make the /docs page).

Request models are strict about types (a number is not a question) and forbid unknown
fields on our own routes; the OpenAI-compatible request ignores the many optional
fields clients send (temperature, top_p, …) since an extractive answer has no use for them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorDetail(BaseModel):
    code: str = Field(examples=["bad_question"])
    message: str = Field(examples=["问题为空 / the question is empty"])


class ErrorBody(BaseModel):
    error: ErrorDetail


# -- /api ------------------------------------------------------------------------------
class Turn(_Strict):
    role: Literal["user", "assistant"]
    content: str


class AskRequest(_Strict):
    question: str = Field(
        description="The question, at most 2000 characters", examples=["阜新高新区主导产业是什么？"]
    )
    history: list[Turn] | None = Field(
        default=None,
        description="Earlier turns of the conversation (at most 20), oldest first",
        examples=[[{"role": "user", "content": "阜新高新区主导产业是什么？"}]],
    )
    generate: bool | None = Field(
        default=None,
        description="With an LLM configured: false answers extractively at once, without waiting for the "
        "model; true waits for its verified answer. Default: ASSISTANT_LLM_GENERATE (true)",
    )
    documents: list[str] | None = Field(
        default=None,
        description="Answer only from these documents (names as /api/documents lists them); "
        "default: the whole library. An unknown or disabled name is a 404",
        examples=[["辽宁省高新技术产业开发区发展规划（2017-2020年）.txt"]],
    )


class SearchRequest(_Strict):
    query: str = Field(examples=["众创空间"])
    k: int = Field(default=8, ge=1, le=50, description="How many passages to return")


class CitationOut(BaseModel):
    id: str
    doc: str
    section: str = Field(description="Section path, headings joined by ' › '")
    text: str
    score: float
    span: list[int] | None = Field(description="[start, end) of the quoted part inside text")
    page: int | None = Field(default=None, description="1-based page in the source file (PDF, OFD)")
    ocr: bool = Field(default=False, description="The cited text was read by OCR")


class AnswerOut(BaseModel):
    answer: str = Field(description="The answer with [n] markers pointing into citations")
    found: bool = Field(description="False when the plans do not say (规划中未提及)")
    citations: list[CitationOut]
    mode: str
    note: str
    question: str = Field(description="The standalone question after resolving follow-ups")


class PassageOut(BaseModel):
    id: str
    doc: str
    section: str
    text: str
    start: int
    end: int
    kind: str
    entity: str | None
    page: int | None = None
    ocr: bool = False


class SearchHit(PassageOut):
    rank: int
    score: float
    why: dict[str, float] = Field(description="Per-ranker evidence behind the fused score")


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]


class SectionNode(BaseModel):
    title: str
    path: str
    start: int
    end: int
    passages: list[str]
    children: list[SectionNode]


class DocumentSections(BaseModel):
    doc: str
    title: str
    sections: list[SectionNode]


class SectionsOut(BaseModel):
    documents: list[DocumentSections]


class TargetOut(BaseModel):
    indicator: str
    value: str
    unit: str
    year: int | None
    kind: str = Field(description="target | baseline")
    doc: str
    section: str
    passage_id: str
    text: str


class TargetsOut(BaseModel):
    targets: list[TargetOut]


class ZonesOut(BaseModel):
    zones: list[str]


class ZoneSection(BaseModel):
    section: str
    passages: list[PassageOut]


class ZoneOut(BaseModel):
    name: str
    aliases: list[str]
    sections: list[ZoneSection]


class DocumentInfo(BaseModel):
    name: str
    title: str
    passages: int


class LLMHealth(BaseModel):
    state: Literal["off", "closed", "open", "half-open"] = Field(
        description="off: no model configured; closed: called; open: paused after repeated failures; "
        "half-open: one trial call under way"
    )
    failures_in_a_row: int = 0
    retry_in_s: float = Field(default=0.0, description="Seconds until the next trial call while open")
    recent_answers: int = Field(default=0, description="Model answers in the recent window")
    recent_verified: int = Field(default=0, description="Of those, how many passed verification")
    poor_verification: bool = Field(default=False, description="Most recent answers failed verification")


class DenseProgress(BaseModel):
    done: int
    total: int
    eta_s: float | None


class Health(BaseModel):
    status: Literal["ready"]
    documents: list[DocumentInfo]
    passages: int
    dense: DenseProgress
    model: str
    built_at: str
    format_version: int
    llm: LLMHealth


# -- /v1 (OpenAI-compatible) -------------------------------------------------------------
class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[ContentPart] | None = None


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str = Field(default="planning-assistant", examples=["planning-assistant"])
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = Field(default=False, strict=True)
    generate: bool | None = Field(
        default=None, strict=True, description="As in /api/ask: false answers extractively at once"
    )
    documents: list[str] | None = Field(default=None, description="As in /api/ask: answer only from these")


class ChatReply(BaseModel):
    role: Literal["assistant"]
    content: str


class ChatChoice(BaseModel):
    index: int
    message: ChatReply
    finish_reason: str


class ChatResponse(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    citations: list[CitationOut] = Field(description="The sources behind the [n] markers, in order")
    found: bool


class ModelCard(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[ModelCard]
