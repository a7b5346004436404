"""User-facing Chinese strings and LLM prompts, named in one place."""

from __future__ import annotations

NOT_FOUND = "规划中未提及：未找到能回答该问题的内容。"
NOT_FOUND_NAME = "规划中未提及“{name}”，无法回答该问题。"
NOT_FOUND_YEAR = "规划中未提及该年份的安排，无法回答该问题。"
NOT_FOUND_ENTITY_TOPIC = "规划中未提及{entity}在这方面的内容。"
NEAREST = "最接近的章节：{sections}。"
LIST_INTRO = "要点如下："
SOURCES = "来源："
