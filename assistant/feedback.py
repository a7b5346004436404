"""👍/👎 feedback on answers, kept in SQLite under `settings.data_dir` so it survives restarts.

One row per rating: the question, the answer shown, the cited passage ids, the rating
(+1 / -1) and an optional comment added afterwards. The schema version lives in
SQLite's `user_version`, so a later format can migrate instead of guessing.
"""

from __future__ import annotations

import csv
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from .errors import BadQuestion, NotFound

SCHEMA_VERSION = 1
FILE_NAME = "feedback.sqlite3"
MAX_COMMENT = 2000
COLUMNS = ("id", "created_at", "rating", "question", "answer", "found", "citations", "comment")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found INTEGER NOT NULL,
    citations TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
)
"""


@dataclass(frozen=True)
class Feedback:
    """One stored rating. `citations` are the cited passage ids, space-separated."""

    id: int
    created_at: str
    rating: int
    question: str
    answer: str
    found: bool
    citations: str
    comment: str


class FeedbackStore:
    """Ratings in one SQLite file; safe to share between the server's threads.

    Example:
        store = FeedbackStore.for_dir(settings.data_dir)
        fid = store.add("阜新高新区主导产业是什么？", "阜新高新区：液压装备制造…[1]", rating=1, citations=["7c16a4-0074"])
        store.comment(fid, "准确")
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # One writer at a time: sqlite would serialise anyway, this avoids "database is locked".
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @classmethod
    def for_dir(cls, data_dir: Path) -> FeedbackStore:
        return cls(data_dir / FILE_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: sqlite3 connections must not cross threads.
        with self._lock:
            db = sqlite3.connect(self.path, timeout=10)
            try:
                with db:
                    yield db
            finally:
                db.close()

    def add(
        self,
        question: str,
        answer: str,
        rating: int,
        citations: Sequence[str] = (),
        found: bool = True,
        comment: str = "",
    ) -> int:
        """Store a rating (+1 or -1) and return its id."""
        if rating not in (1, -1):
            raise BadQuestion("评价只能是 👍 或 👎 / rating must be 1 or -1")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (created_at, rating, question, answer, found, citations, comment)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now, rating, question, answer, int(found), " ".join(citations), comment[:MAX_COMMENT]),
            )
            return int(cur.lastrowid or 0)

    def comment(self, feedback_id: int, text: str) -> None:
        """Attach (or replace) the comment of a stored rating."""
        with self._connect() as db:
            cur = db.execute(
                "UPDATE feedback SET comment = ? WHERE id = ?", (text[:MAX_COMMENT], feedback_id)
            )
            if cur.rowcount == 0:
                raise NotFound(f"没有这条反馈 / no feedback with id {feedback_id}")

    def all(self) -> list[Feedback]:
        with self._connect() as db:
            rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [Feedback(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7]) for r in rows]

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def export_csv(self, out: TextIO) -> int:
        """Write every rating as CSV with a header row; return the number of rows."""
        rows = self.all()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for f in rows:
            writer.writerow(
                [f.id, f.created_at, f.rating, f.question, f.answer, int(f.found), f.citations, f.comment]
            )
        return len(rows)
