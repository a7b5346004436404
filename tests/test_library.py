"""The document library over HTTP: upload, poll, ask, disable, delete; every bad input a 4xx that changes nothing."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_readers import TABLE, make_pdf
from test_store import PLAN_A

from assistant import Assistant, Settings
from assistant.api import create_app
from assistant.library import safe_name, stored_name

PLAN = PLAN_A  # one small plan already in the library


def tree(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.endswith(("-wal", "-shm")):
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture()
def lib(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    Assistant.load(settings)  # vectors complete before the server starts: the index only changes when told
    return settings


@pytest.fixture()
def client(lib: Settings):
    with TestClient(create_app(lib)) as c:
        wait(lambda: c.get("/healthz").status_code == 200)
        yield c


def wait(ok, seconds: float = 120.0) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if ok():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def finished(c: TestClient, job: dict) -> dict:
    out: dict = {}

    def done() -> bool:
        out.update(c.get(f"/api/jobs/{job['id']}").json())
        return out["state"] in ("ready", "failed")

    wait(done)
    return out


def pdf_plan() -> bytes:
    return make_pdf(
        [
            [
                ("heading", "乙市产业园区发展规划"),
                ("heading", "一、发展基础"),
                ("para", "全市已建成产业园区12个。"),
            ],
            [
                ("heading", "二、主要指标"),
                ("table", TABLE),
                ("para", "到2020年，省级以上高新区数量达到25家。"),
            ],
        ]
    )


def test_upload_ask_disable_enable_delete(client, lib):
    r = client.post("/api/documents", files=[("files", ("乙市规划.pdf", pdf_plan(), "application/pdf"))])
    assert r.status_code == 202 and r.json()["state"] in ("queued", "indexing")
    assert finished(client, r.json())["state"] == "ready"
    docs = {d["name"]: d for d in client.get("/api/documents").json()["documents"]}
    pdf = docs["乙市规划.pdf"]
    assert (pdf["format"], pdf["pages"], pdf["enabled"]) == ("pdf", 2, True)
    wait(lambda: client.get(f"/api/documents/{pdf['id']}").json()["status"] == "ready")
    outline = client.get(f"/api/documents/{pdf['id']}").json()["outline"]
    assert any("主要指标" in s["title"] for s in outline)

    answer = client.post("/api/ask", json={"question": "省级以上高新区数量到2020年要达到多少家？"}).json()
    assert answer["found"] and "25" in answer["answer"]
    assert answer["citations"][0]["doc"] == "乙市规划.pdf" and answer["citations"][0]["page"] == 2

    r = client.patch(f"/api/documents/{pdf['id']}", json={"enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False
    answer = client.post("/api/ask", json={"question": "省级以上高新区数量到2020年要达到多少家？"}).json()
    assert all(c["doc"] != "乙市规划.pdf" for c in answer["citations"])
    client.patch(f"/api/documents/{pdf['id']}", json={"enabled": True})
    assert (
        "25"
        in client.post("/api/ask", json={"question": "省级以上高新区数量到2020年要达到多少家？"}).json()[
            "answer"
        ]
    )

    r = client.delete(f"/api/documents/{pdf['id']}")
    assert r.status_code == 202 and finished(client, r.json())["state"] == "ready"
    assert [d["name"] for d in client.get("/api/documents").json()["documents"]] == ["plan.txt"]
    assert not (lib.corpus_dir / "乙市规划.pdf").exists()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    return out.getvalue()


BAD = [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, 415, "docx"),
    ("empty.pdf", b"", 422, "empty.pdf"),
    ("cut.pdf", None, 422, "cut.pdf"),
    ("bomb.docx", None, 413, "bomb.docx"),
    ("same.txt", PLAN.encode(), 409, "plan.txt"),
    ("../..", b"x", 400, "file name"),
    ("sheet.xlsx", None, 415, "xlsx"),
]


@pytest.mark.parametrize("name,data,status,word", BAD, ids=[b[0] for b in BAD])
def test_bad_uploads_are_4xx_and_change_nothing(client, lib, name, data, status, word):
    if name == "cut.pdf":
        data = pdf_plan()[:900]
    elif name == "bomb.docx":
        data = zip_bomb()
    elif name == "sheet.xlsx":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("xl/workbook.xml", "<workbook/>")
        data = buf.getvalue()
    before = (tree(lib.corpus_dir), tree(lib.index_dir))
    r = client.post("/api/documents", files=[("files", (name, data, "application/octet-stream"))])
    assert r.status_code == status, r.text
    assert word in r.json()["error"]["message"]
    assert (tree(lib.corpus_dir), tree(lib.index_dir)) == before


def test_one_bad_file_stops_the_whole_upload(client, lib):
    before = tree(lib.corpus_dir)
    good = ("ok.txt", "丙市方案\n一、目标\n　　建成10个园区。".encode(), "text/plain")
    bad = ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "application/msword")
    r = client.post("/api/documents", files=[("files", good), ("files", bad)])
    assert r.status_code == 415 and tree(lib.corpus_dir) == before


@pytest.mark.parametrize(
    "name", ["../../丁市方案.txt", "..\\..\\丁市方案.txt", "/etc/丁市方案.txt", "sub/丁市方案.txt"]
)
def test_path_traversal_names_are_refused(client, lib, name):
    before = (tree(lib.corpus_dir), tree(lib.index_dir))
    data = "丁市方案\n一、目标\n　　建成8个园区。".encode()
    r = client.post("/api/documents", files=[("files", (name, data, "text/plain"))])
    assert r.status_code == 400 and "路径" in r.json()["error"]["message"]
    assert (tree(lib.corpus_dir), tree(lib.index_dir)) == before
    assert not list(lib.corpus_dir.parent.parent.rglob("丁市方案.txt"))


def test_too_large_upload_is_413(client, lib, monkeypatch):
    import assistant.readers as readers

    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    before = tree(lib.corpus_dir)
    r = client.post("/api/documents", files=[("files", ("big.txt", "规划".encode() * 1000, "text/plain"))])
    assert r.status_code == 413 and tree(lib.corpus_dir) == before


def test_unknown_ids_are_404_in_the_error_shape(client):
    for path in ("/api/documents/nope", "/api/jobs/nope"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.delete("/api/documents/nope").status_code == 404
    assert client.patch("/api/documents/nope", json={"enabled": False}).status_code == 404


def test_the_last_document_stays(client):
    r = client.delete("/api/documents/plan.txt")
    assert r.status_code == 409 and "唯一" in r.json()["error"]["message"]


def test_patch_body_is_checked(client):
    r = client.patch("/api/documents/plan.txt", json={"enabled": "maybe"})
    assert r.status_code == 422 and "error" in r.json()


def test_document_routes_need_the_key(lib):
    keyed = Settings(**{**lib.__dict__, "api_key": "s3cret"})
    with TestClient(create_app(keyed)) as c:
        for method, path in [
            ("get", "/api/documents"),
            ("post", "/api/documents"),
            ("get", "/api/documents/x"),
            ("patch", "/api/documents/x"),
            ("delete", "/api/documents/x"),
            ("get", "/api/jobs/x"),
        ]:
            assert getattr(c, method)(path).status_code == 401
        ok = c.get("/api/documents", headers={"Authorization": "Bearer s3cret"})
        wait(lambda: c.get("/api/documents", headers={"Authorization": "Bearer s3cret"}).status_code == 200)
        assert ok.status_code in (200, 503)


def test_names():
    assert safe_name("规划（2021）.txt") == "规划（2021）.txt" and safe_name("a\x00b.txt") == "ab.txt"
    assert stored_name("report", "pdf") == "report.pdf"
    assert stored_name("规划.txt", "docx") == "规划.txt.docx"
    assert stored_name("page.htm", "html") == "page.htm"


def test_unparsable_uploads_and_unknown_routes_share_the_error_shape(client, lib):
    before = tree(lib.corpus_dir)
    r = client.post(
        "/api/documents", content=b"xx", headers={"content-type": "multipart/form-data; boundary=zz"}
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_upload" and "multipart" in r.text
    r = client.post("/api/documents", json={"files": "x"})
    assert r.status_code == 422 and "error" in r.json()
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and "没有这个地址" in r.json()["error"]["message"]
    r = client.put("/api/documents")
    assert r.status_code == 405 and "不支持" in r.json()["error"]["message"]
    assert tree(lib.corpus_dir) == before
