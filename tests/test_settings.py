"""Settings come from ASSISTANT_* variables with defaults in code; overrides are cast the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import ROOT, Settings


def test_defaults():
    s = Settings.from_env({})
    assert s.corpus_dir == ROOT / "corpus" and s.index_dir == ROOT / "index"
    assert s.host == "127.0.0.1" and s.port == 7860 and s.llm_base_url == ""


def test_environment_is_cast_by_field_type(tmp_path):
    s = Settings.from_env(
        {"ASSISTANT_CORPUS_DIR": str(tmp_path), "ASSISTANT_PORT": "9000", "ASSISTANT_LLM_TIMEOUT": "2.5"}
    )
    assert s.corpus_dir == tmp_path and s.port == 9000 and s.llm_timeout == 2.5


def test_overrides_win_and_are_cast():
    s = Settings.from_env({"ASSISTANT_PORT": "9000"}, port=9100, index_dir="some/where")
    assert s.port == 9100 and isinstance(s.index_dir, Path) and s.index_dir.is_absolute()


def test_unknown_override_is_an_error():
    with pytest.raises(TypeError):
        Settings.from_env({}, no_such_setting=1)


def test_bad_number_is_an_error():
    with pytest.raises(ValueError):
        Settings.from_env({"ASSISTANT_PORT": "eighty"})
