"""Shared fixtures: one real index per test session, built in a temporary folder from the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
SECOND_CORPUS = ROOT / "tests" / "corpus_second"
MIXED_CORPUS = ROOT / "tests" / "corpus_mixed"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the real corpus/ with an index of the test session's own."""
    return Settings.from_env(
        corpus_dir=ROOT / "corpus",
        index_dir=tmp_path_factory.mktemp("index") / "index",
        data_dir=tmp_path_factory.mktemp("data"),
        llm_base_url="",
        api_key="",
    )


@pytest.fixture(scope="session")
def bot(settings: Settings) -> Assistant:
    return Assistant.load(settings)


@pytest.fixture(scope="session")
def second_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The assistant over the second, different test plan alone."""
    s = Settings.from_env(
        corpus_dir=SECOND_CORPUS, index_dir=tmp_path_factory.mktemp("index2") / "index", llm_base_url=""
    )
    return Assistant.load(s)


@pytest.fixture(scope="session")
def mixed_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The assistant over both plans side by side."""
    s = Settings.from_env(
        corpus_dir=MIXED_CORPUS, index_dir=tmp_path_factory.mktemp("index3") / "index", llm_base_url=""
    )
    return Assistant.load(s)
