"""Blind questions on real government documents (issue 7), each evaluated on its document alone.

The documents live in ../shared/corpora/dev (not in this repository); without them these tests skip.
Floors sit a little under the rates measured at the last engine change (docs/benchmarks.md): the
held-out floor is the number that counts, since nothing was tuned on those documents.
"""

from __future__ import annotations

import pytest

from assistant.evaluate import DEV_SPLITS, dev_files, dev_report, load_qa
from assistant.settings import ROOT

DEV = ROOT.parent / "shared" / "corpora" / "dev"
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason=f"dev corpus not present at {DEV}")

# (answerable right, unanswerable refused), measured minus a margin; see docs/benchmarks.md.
FLOORS = {
    "tune": (0.84, 0.89),
    "heldout": (0.70, 0.85),
    "scale": (0.78, 0.88),
    "fresh": (0.79, 0.83),
    "fresh2": (0.72, 0.80),
    "fresh3": (0.77, 0.84),
    "fresh4": (0.81, 0.76),
    "fresh5": (0.83, 0.84),
    "fresh6": (0.77, 0.84),
    "fresh7": (0.80, 0.88),
    "fresh8": (0.71, 0.84),
    "fresh9": (0.74, 0.84),
    "fresh10": (0.75, 0.80),
}
# seventh session's end: tune 86.6/91.5, held out 72.0/87.2, scale 80.7/90.0, fresh 81.0/86.7, fresh2 74.5/84.6,
# fresh3 79.0/88.0, fresh4 83.7/80.0, fresh5 85.3/88.0, fresh6 79.6/88.0, fresh7 82.9/92.0, fresh8 74.0/88.0 (fresh7
# and fresh8 read as development this session); fresh9 76.4/88.0 and fresh10 77.1/84.0 at their first and only
# reading (the sixth session's final code: 74.5/84.0 and 73.3/76.0; held out there 70.7/89.4).
# sixth session's end: tune 84.6/89.4, held out 70.7/89.4, scale 79.7/88.0, fresh 80.2/86.7, fresh2 74.5/84.6,
# fresh3 76.2/84.0, fresh4 81.6/80.0, fresh5 84.3/88.0, fresh6 77.7/80.0 (fresh5 and fresh6 read as development this
# session); fresh7 72.4/96.0 and fresh8 61.5/84.0 at their first and only reading (the fifth session's final code:
# 72.4/96.0 and 61.5/80.0; held out there 70.0/89.4).
# fifth session's end: tune 84.6/87.2, held out 70.0/89.4, scale 79.7/88.0, fresh 77.6/83.3, fresh2 72.3/80.8,
# fresh3 74.3/84.0, fresh4 78.6/80.0 (fresh-fresh4 read as development this session); fresh5 77.5/88.0 and fresh6
# 70.9/76.0 at their first and only reading (the fourth session's final code: 75.5/88.0 and 70.9/76.0).
# fourth session's end: 83.9/87.2, 70.7/87.2, 78.6/88.0, 72.4/80.0, 61.7/76.9; fresh3 at its first and only
# reading: 66.7/72.0 (the third session's code: 66.7/68.0); fresh4, read once after the session's last change:
# 67.3/64.0 (the third session's code: 68.4/64.0). Scale 79.2/88.0 at the end.
# third session's end (sign-constrained decision): 81.9/85.1, 70.7/83.0, 76.6/78.0, 72.4/80.0; fresh2 at its
# first and only reading: 63.8/76.9.
# measured 82.5/87.2, 69.3/83.0, 75.5/80.0 and 71.5/76.7 (2026-11-26, the decision fitted on tune with the scale
# split as validation, at the final code; at the session's start: 83.9/87.2, 66.7/80.8 and 68.2/76.0; fresh at
# first reading: 67.2/76.7)


def test_split_covers_every_dev_question_file():
    files = dev_files("all")
    assert len(files) == 81
    documents = [{load_qa(f)[1] for f in dev_files(split)} for split in DEV_SPLITS]
    # Every question file in exactly one split: no document is both tuned on and held out.
    assert sum(len(d) for d in documents) == len(set().union(*documents)) == len(files)


@pytest.mark.parametrize("split", DEV_SPLITS)
def test_dev_split(split):
    summary = dev_report(split)
    answerable, refused = FLOORS[split]
    assert summary["ungrounded_answers"] == 0
    assert summary["answerable_rate"] >= answerable
    assert summary["not_in_plan_rate"] >= refused
    assert summary["median_answer_chars"] <= 80
