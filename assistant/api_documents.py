"""The document library over HTTP: /api/documents (upload, list, show, enable/disable, delete), /api/jobs.

Routes only delegate to `Library`; uploads are multipart (`files` fields). Indexing is long work:
POST and DELETE answer 202 at once with a job to poll at /api/jobs/{id}.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from .api_models import ErrorBody
from .library import Library

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 409, 413, 415, 422, 503)
}


class EnableRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool


def library(request: Request) -> Library:
    lib: Library = request.app.state.library
    return lib


def documents_router() -> APIRouter:
    r = APIRouter(prefix="/api", tags=["documents"], responses=ERRORS)

    @r.get("/documents", summary="Every document with its status, format, pages and passages")
    def list_documents(request: Request) -> dict[str, Any]:
        lib = library(request)
        return {"documents": lib.documents(), "dense": lib.progress()}

    @r.post("/documents", status_code=202, summary="Upload one or more files (multipart field `files`)")
    async def upload(request: Request, files: list[UploadFile]) -> JSONResponse:
        items = [(f.filename or "", await f.read()) for f in files]
        job = library(request).add(items)
        return JSONResponse(job, status_code=202)

    @r.get("/documents/{doc_id}", summary="One document: status and parsed outline (heading tree)")
    def show(request: Request, doc_id: str) -> dict[str, Any]:
        return library(request).document(doc_id)

    @r.patch("/documents/{doc_id}", summary="Enable or disable a document for answering")
    def patch(request: Request, doc_id: str, body: EnableRequest) -> dict[str, Any]:
        return library(request).set_enabled(doc_id, body.enabled)

    @r.delete("/documents/{doc_id}", status_code=202, summary="Remove a document from the library")
    def delete(request: Request, doc_id: str) -> JSONResponse:
        return JSONResponse(library(request).remove(doc_id), status_code=202)

    @r.get("/jobs/{job_id}", summary="A library change: queued, indexing, ready or failed (with why)")
    def job(request: Request, job_id: str) -> dict[str, Any]:
        return library(request).job(job_id)

    return r
