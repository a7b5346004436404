"""The fitted answerability decision: its data file and its use."""

from __future__ import annotations

import json

import pytest

from assistant.decide import DATA, FEATURES, FORMAT, MODELS, decide, read_model


def test_data_file_has_format_line_and_provenance():
    head, body = DATA.read_text(encoding="utf-8").split("\n", 1)
    assert head == FORMAT
    data = json.loads(body)
    assert data["command"] and data["qa_files"] and data["documents"]
    for name, allowed in MODELS.items():
        model = data["models"][name]
        assert model["features"] and set(model["features"]) <= set(allowed)
        assert len(model["weights"]) == len(model["features"]) == len(model["mean"]) == len(model["scale"])
        assert 0 < model["validation_balanced_accuracy"] <= 1 and 0 < model["threshold"] < 1
    assert data["validation_files"] and not set(data["validation_files"]) & set(data["qa_files"])


def test_a_model_weighing_a_feature_it_cannot_use_is_an_error(tmp_path):
    """The lexical model decides before passages have vectors: a file giving it a dense feature is refused."""
    head, body = DATA.read_text(encoding="utf-8").split("\n", 1)
    data = json.loads(body)
    data["models"]["lexical"]["features"][0] = "dense"
    bad = tmp_path / "decision.json"
    bad.write_text(head + "\n" + json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="dense"):
        read_model(bad, "lexical")
    assert read_model(bad, "full").features == tuple(data["models"]["full"]["features"])


def test_decision_returns_its_features():
    features = dict.fromkeys(FEATURES, 0.5)
    d = decide(features)
    assert set(d.features) == set(FEATURES) and 0 <= d.probability <= 1


def test_missing_feature_and_wrong_format_are_errors(tmp_path):
    with pytest.raises(KeyError):
        decide({"asks_list": 1.0})
    bad = tmp_path / "decision.json"
    bad.write_text("something else\n{}", encoding="utf-8")
    with pytest.raises(ValueError):
        read_model(bad)


def test_lexical_model_decides_while_vectors_are_missing(tmp_path):
    """Served on the lexical half (no passage vector yet), the decision uses the lexical model and still
    answers a clearly answerable question and refuses a clearly unanswerable one."""
    from assistant import Assistant, Settings
    from assistant.embed import make_embedder
    from assistant.index import ensure_index
    from assistant.settings import ROOT

    settings = Settings.from_env(
        corpus_dir=ROOT / "corpus", index_dir=tmp_path / "index", llm_base_url="", api_key=""
    )
    index = ensure_index(settings, make_embedder(settings), dense=False)
    assert index.dense_progress[0] == 0
    bot = Assistant(settings, index)
    q = bot.retriever.prepare("到2020年研发经费占GDP要达到多少？")
    _, _, decision = bot.answerer.evidence(q, bot.retriever.search(q))
    assert decision is not None and decision.model == "lexical" and decision.answer
    a = bot.ask("到2020年研发经费占GDP要达到多少？")
    assert a.found and "2.8%" in a.answer
    assert not bot.ask("辽宁省省长是谁？").found
    assert not bot.ask("推荐一只辽宁高新区的股票吧，哪只会涨？").found


def test_both_models_are_in_the_data_file():
    full, lexical = read_model(DATA, "full"), read_model(DATA, "lexical")
    assert "dense" in full.features and "dense" not in lexical.features
    assert decide(dict.fromkeys(lexical.features, 0.5), lexical=True).model == "lexical"
