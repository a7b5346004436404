"""The evaluation runner: cited_text checks, per-document QA files."""

from __future__ import annotations

from assistant.evaluate import Pair, check, eval_settings
from assistant.schema import Answer, Citation
from assistant.settings import Settings


def _answer(text: str, cited: str) -> Answer:
    return Answer(text, True, (Citation("x-0001", "d.txt", "一、总则", cited, 1.0),))


def test_cited_text_without_section_must_be_in_a_citation():
    pair = Pair("p", "figure", "q", True, answer_contains=("75%",), cited_text="机械化率达到75%")
    assert check(pair, _answer("达到75%[1]", "全国农作物耕种收综合机械化率达到75%。")) == []
    problems = check(pair, _answer("达到75%[1]", "另一段，机械化率75%。"))
    assert problems and "no citation contains" in problems[0]


def test_a_heading_is_cited_by_a_passage_under_it():
    """A heading line is the title of the passages under it, so citing one of them cites it; a heading only
    containing the expected text does not."""
    pair = Pair("p", "list", "q", True, answer_contains=("补助",), cited_text="七、能力提升补助")
    under = Answer(
        "补助[1]", True, (Citation("x-1", "d.txt", "面向单位 › 七、能力提升补助", "在校大学生……", 1.0),)
    )
    assert check(pair, under) == []
    longer = Answer("补助[1]", True, (Citation("x-1", "d.txt", "七、能力提升补助办法", "在校大学生……", 1.0),))
    assert "no citation contains" in check(pair, longer)[0]
    # The heading's words without its number are the same heading.
    bare = Pair("p", "list", "q", True, answer_contains=("补助",), cited_text="能力提升补助")
    assert check(bare, under) == []
    assert "no citation contains" in check(bare, longer)[0]
    # A heading line ending on a full stop is kept as a heading without it.
    stop = Pair("p", "list", "q", True, answer_contains=("补助",), cited_text="七、能力提升补助。")
    assert check(stop, under) == []
    assert "no citation contains" in check(stop, longer)[0]


def test_a_document_qa_file_gets_a_corpus_of_that_document_alone(tmp_path):
    corpus = tmp_path / "dev"
    corpus.mkdir()
    (corpus / "a.txt").write_text("一、总则\n内容。", encoding="utf-8")
    (corpus / "b.txt").write_text("一、总则\n别的。", encoding="utf-8")
    qa = tmp_path / "00.yaml"
    qa.write_text(f"corpus: {corpus}\ndocument: a.txt\npairs: []\n", encoding="utf-8")
    settings = eval_settings(qa, Settings.from_env())
    assert [p.name for p in settings.corpus_dir.iterdir()] == ["a.txt"]
    assert settings.index_dir.parent.parent.name == "index-eval"


def test_the_dev_splits_are_those_of_split_yaml_and_the_cli():
    """evaluate.DEV_SPLITS names the parts of tests/qa/dev/split.yaml; `assistant eval-dev --split` offers them
    (written out there so that the CLI does not import evaluate at start)."""
    import argparse

    import yaml

    from assistant.cli import build_parser
    from assistant.evaluate import DEV_DIR, DEV_SPLITS

    assert tuple(yaml.safe_load((DEV_DIR / "split.yaml").read_text(encoding="utf-8"))) == DEV_SPLITS
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    split = next(a for a in sub.choices["eval-dev"]._actions if a.dest == "split")
    assert tuple(split.choices) == (*DEV_SPLITS, "all")
