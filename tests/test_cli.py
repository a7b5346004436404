"""The `assistant` command, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.cli import main

QA = Path(__file__).resolve().parent / "qa"


def env(monkeypatch, settings) -> None:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(settings.index_dir))


def test_ask_json(bot, settings, monkeypatch, capsys):
    env(monkeypatch, settings)
    assert main(["ask", "阜新高新区主导产业是什么？", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is True
    assert "液压装备制造" in data["answer"]
    assert data["citations"][0]["section"].endswith("专栏3 高新区主导产业发展情况")


def test_ask_text_lists_sources(bot, settings, monkeypatch, capsys):
    env(monkeypatch, settings)
    assert main(["ask", "到2020年研发经费占GDP要达到多少？"]) == 0
    out = capsys.readouterr().out
    assert "2.8%" in out and "来源：" in out and "（四）发展目标" in out


def test_index_up_to_date(bot, settings, monkeypatch, capsys):
    env(monkeypatch, settings)
    assert main(["index"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_bad_question_exits_2(bot, settings, monkeypatch, capsys):
    env(monkeypatch, settings)
    assert main(["ask", "   "]) == 2
    assert "empty" in capsys.readouterr().err


def test_eval_reports_and_fails_below_minimum(bot, settings, monkeypatch, capsys, tmp_path):
    env(monkeypatch, settings)
    out = tmp_path / "summary.json"
    assert main(["eval", str(QA / "liaoning.yaml"), "--json", str(out), "--min-score", "0.9"]) == 0
    report = capsys.readouterr().out
    assert "numeric_target" in report and "ALL" in report
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["total"] >= 100 and summary["pass_rate"] >= 0.9
    assert main(["eval", str(QA / "liaoning.yaml"), "--min-score", "1.0"]) == 1


def test_chat(bot, settings, monkeypatch, capsys):
    env(monkeypatch, settings)
    answers = iter(["阜新高新区主导产业是什么？", "那大连呢？", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "液压装备制造" in out and "软件和服务外包" in out
