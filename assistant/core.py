"""The Assistant: one object that loads the index and answers, for the CLI, API and UI alike."""

from __future__ import annotations

from typing import Any

from .answer import Answerer
from .dialogue import check_history, check_question, resolve
from .embed import Embedder, make_embedder
from .errors import BadQuestion, NotFound
from .facts import Entity
from .index import Index, Progress, ensure_index, open_index
from .retrieve import Retriever, find_entities
from .schema import Answer, Hit, Passage, Target
from .settings import Settings

MAX_K = 50


class Assistant:
    """Answers questions about the plans in `settings.corpus_dir`, citing passages.

    Example:
        bot = Assistant.load()
        bot.ask("阜新高新区主导产业是什么？").answer  -> "阜新高新区：液压装备制造、农产品深加工、电子信息。[1]"
    """

    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index
        self.retriever = Retriever(index)
        self.answerer = Answerer(index, self.retriever, settings.min_evidence)

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        build: bool = True,
    ) -> Assistant:
        """Open the index for the corpus, building it first when missing, stale or damaged (unless build=False)."""
        settings = settings or Settings.from_env()
        embedder = embedder or make_embedder(settings)
        index = ensure_index(settings, embedder, progress) if build else open_index(settings, embedder)
        return cls(settings, index)

    # -- questions -----------------------------------------------------------------
    def standalone(self, question: str, history: list[dict[str, str]]) -> str:
        """The question with the subject or frame of earlier turns filled in."""
        return resolve(question, history, self.find_entities)

    def find_entities(self, text: str) -> list[Entity]:
        return find_entities(text, self.index.entities)

    def ask(self, question: Any, history: Any = None) -> Answer:
        """Answer one question; `history` is the earlier [{role, content}] turns of the conversation."""
        question = check_question(question)
        turns = check_history(history)
        standalone = self.standalone(question, turns)
        q = self.retriever.prepare(standalone)
        hits = self.retriever.search(q, k=max(self.settings.top_k, 8))
        return self.answerer.answer(q, hits, standalone)

    def search(self, query: Any, k: Any = 8) -> list[Hit]:
        """Ranked passages for a query (no answer extraction)."""
        query = check_question(query)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise BadQuestion(f"k 必须是 1 到 {MAX_K} 的整数 / k must be an integer from 1 to {MAX_K}")
        return self.retriever.search(query, k=k)

    # -- browsing ------------------------------------------------------------------
    def passage(self, passage_id: str) -> Passage:
        try:
            return self.index.by_id[passage_id]
        except KeyError:
            raise NotFound(f"没有这个段落 / no passage with id {passage_id!r}") from None

    def sections(self) -> list[dict[str, Any]]:
        """Each document's title and section tree."""
        return [
            {"doc": d.name, "title": d.title, "sections": [s.to_dict() for s in d.sections]}
            for d in self.index.documents
        ]

    def targets(self) -> list[Target]:
        """The targets and baseline figures found in the plans, in document order."""
        return list(self.index.targets)

    def zones(self) -> list[str]:
        return [e.name for e in self.index.entities]

    def zone(self, name: str) -> dict[str, Any]:
        """Every passage about a zone (by full name, short name or pinyin), grouped by section."""
        found = find_entities(name, self.index.entities)
        if not found:
            raise NotFound(f"规划中没有名为“{name}”的高新区或地区 / no zone named {name!r}")
        entity = found[0]
        groups: dict[str, list[dict[str, Any]]] = {}
        for p in self.index.passages:
            if p.entity == entity.name or (p.entity is None and self.retriever_mentions(p, entity)):
                groups.setdefault(p.section_path, []).append(p.to_dict())
        return {
            "name": entity.name,
            "aliases": list(entity.aliases),
            "sections": [{"section": s, "passages": ps} for s, ps in groups.items()],
        }

    @staticmethod
    def retriever_mentions(p: Passage, entity: Entity) -> bool:
        from .facts import mentions

        return mentions(entity, p.text)

    def info(self) -> dict[str, Any]:
        m = self.index.manifest
        return {
            "documents": [{"name": d.name, "title": d.title, "passages": len(d.passages)} for d in self.index.documents],
            "passages": m["passages"],
            "model": m["embedding_model"],
            "built_at": m["built_at"],
            "format_version": m["format_version"],
        }
