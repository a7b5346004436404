"""Question language: what a question asks for."""

from __future__ import annotations

from assistant.intent import COUNT_Q, meta_fields


def test_questions_about_the_document_itself():
    assert meta_fields("这份规划由哪个部门印发？") == ["issuer"]
    assert meta_fields("规划的期限是哪几年？") == ["period"]
    assert meta_fields("这份意见的文号是什么？") == ["number"]
    assert meta_fields("这份通知是哪天印发的？") == ["date"]
    assert meta_fields("到2020年研发经费占GDP要达到多少？") == []
    assert meta_fields("本办法自什么时候起施行？") == []  # a clause of the body, not the header


def test_count_questions():
    assert COUNT_Q.search("规划一共提出了几条基本原则？")
    assert COUNT_Q.search("有几个方面？分别是什么？")
    assert not COUNT_Q.search("有哪几个方面？")
