"""The assistant's hybrid retrieval as a LangChain `BaseRetriever`, for chains built elsewhere."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class PlanRetriever(BaseRetriever):
    """Ranked plan passages as LangChain Documents, with section path, ids and offsets in metadata.

    Example:
        PlanRetriever(assistant=Assistant.load(), k=4).invoke("阜新高新区主导产业")[0].metadata["section"]
        -> "三、重点任务 › （二）完善发展规划与布局 › 专栏3 高新区主导产业发展情况"
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(
                page_content=hit.passage.text,
                metadata={
                    "id": hit.passage.id,
                    "doc": hit.passage.doc,
                    "section": hit.passage.section_path,
                    "start": hit.passage.start,
                    "end": hit.passage.end,
                    "score": hit.score,
                },
            )
            for hit in self.assistant.search(query, k=self.k)
        ]
