"""Blind questions on real government documents (issue 7), each evaluated on its document alone.

The documents live in ../shared/corpora/dev (not in this repository); without them these tests skip.
Floors sit a little under the rates measured at the last engine change (docs/benchmarks.md): the
held-out floor is the number that counts, since nothing was tuned on those documents.
"""

from __future__ import annotations

import pytest

from assistant.evaluate import dev_files, dev_report, load_qa
from assistant.settings import ROOT

DEV = ROOT.parent / "shared" / "corpora" / "dev"
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason=f"dev corpus not present at {DEV}")

# (answerable right, unanswerable refused), measured minus a margin; see docs/benchmarks.md.
FLOORS = {"tune": (0.77, 0.87), "heldout": (0.62, 0.80), "scale": (0.70, 0.85), "fresh": (0.63, 0.80)}
# measured 78.5/89.4, 63.3/83.0, 71.9/88.0 and 65.5/83.3 (2026-11-26, the decision fitted on tune with the scale
# split as validation, at the final code; at the session's start: 83.9/87.2, 66.7/80.8 and 68.2/76.0; fresh at
# first reading, before the final refit: 67.2/76.7)


def test_split_covers_every_dev_question_file():
    files = dev_files("all")
    assert len(files) == 36
    held_out = {load_qa(f)[1] for f in dev_files("heldout")}
    fresh = {load_qa(f)[1] for f in dev_files("fresh")}
    tuned = {load_qa(f)[1] for f in dev_files("tune") + dev_files("scale")}
    assert held_out.isdisjoint(tuned) and fresh.isdisjoint(tuned) and fresh.isdisjoint(held_out)


@pytest.mark.parametrize("split", ["tune", "heldout", "scale", "fresh"])
def test_dev_split(split):
    summary = dev_report(split)
    answerable, refused = FLOORS[split]
    assert summary["ungrounded_answers"] == 0
    assert summary["answerable_rate"] >= answerable
    assert summary["not_in_plan_rate"] >= refused
    assert summary["median_answer_chars"] <= 80
