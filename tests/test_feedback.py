"""👍/👎 storage in SQLite and its CSV export (`assistant feedback export`)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import BadQuestion, NotFound
from assistant.feedback import COLUMNS, FILE_NAME, SCHEMA_VERSION, FeedbackStore

FUXIN = "阜新高新区主导产业是什么？"
ANSWER = "阜新高新区：液压装备制造、农产品深加工、电子信息。[1]"


def test_add_comment_and_read_back(tmp_path: Path) -> None:
    store = FeedbackStore.for_dir(tmp_path / "data")
    first = store.add(FUXIN, ANSWER, rating=1, citations=["7c16a4-0074"])
    second = store.add("规划的期限是哪几年？", "规划中未提及…", rating=-1, found=False)
    store.comment(first, "准确，引用也对")
    rows = store.all()
    assert [r.id for r in rows] == [first, second]
    assert (rows[0].rating, rows[0].question, rows[0].citations, rows[0].comment) == (
        1,
        FUXIN,
        "7c16a4-0074",
        "准确，引用也对",
    )
    assert (rows[1].rating, rows[1].found, rows[1].comment) == (-1, False, "")
    assert rows[0].created_at.endswith("+00:00")


def test_survives_a_restart(tmp_path: Path) -> None:
    FeedbackStore.for_dir(tmp_path).add(FUXIN, ANSWER, rating=1)
    reopened = FeedbackStore.for_dir(tmp_path)
    assert reopened.count() == 1 and reopened.all()[0].answer == ANSWER
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_rejects_bad_ratings_and_unknown_ids(tmp_path: Path) -> None:
    store = FeedbackStore.for_dir(tmp_path)
    for rating in (0, 2, -2):
        with pytest.raises(BadQuestion):
            store.add(FUXIN, ANSWER, rating=rating)
    with pytest.raises(NotFound):
        store.comment(99, "x")
    assert store.count() == 0


def test_export_csv(tmp_path: Path) -> None:
    store = FeedbackStore.for_dir(tmp_path)
    store.add(FUXIN, ANSWER, rating=1, citations=["a", "b"], comment='含逗号, 和"引号"')
    out = io.StringIO()
    assert store.export_csv(out) == 1
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(COLUMNS)
    assert rows[1][2:] == ["1", FUXIN, ANSWER, "1", "a b", '含逗号, 和"引号"']


def test_cli_feedback_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = FeedbackStore.for_dir(tmp_path / "data")
    store.comment(store.add(FUXIN, ANSWER, rating=-1), "缺少年份")
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))

    out = tmp_path / "feedback.csv"
    assert main(["feedback", "export", "--out", str(out)]) == 0
    assert "1" in capsys.readouterr().err
    text = out.read_text(encoding="utf-8-sig")  # with a BOM, so Excel reads the Chinese right
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["rating"], r["question"], r["comment"]) for r in rows] == [("-1", FUXIN, "缺少年份")]

    assert main(["feedback", "export"]) == 0
    printed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert printed[0]["answer"] == ANSWER
