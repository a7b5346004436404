"""The fitted answerability decision: its data file and its use."""

from __future__ import annotations

import json

import pytest

from assistant.decide import DATA, FEATURES, FORMAT, decide, read_model


def test_data_file_has_format_line_and_provenance():
    head, body = DATA.read_text(encoding="utf-8").split("\n", 1)
    assert head == FORMAT
    data = json.loads(body)
    assert data["command"] and data["features"] == list(FEATURES)
    assert len(data["weights"]) == len(FEATURES) == len(data["mean"]) == len(data["scale"])


def test_decision_returns_its_features():
    features = dict.fromkeys(FEATURES, 0.5)
    d = decide(features)
    assert set(d.features) == set(FEATURES) and 0 <= d.probability <= 1


def test_missing_feature_and_wrong_format_are_errors(tmp_path):
    with pytest.raises(KeyError):
        decide({"coverage": 1.0})
    bad = tmp_path / "decision.json"
    bad.write_text("something else\n{}", encoding="utf-8")
    with pytest.raises(ValueError):
        read_model(bad)
