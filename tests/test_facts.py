"""Entities from box entries and the targets table, by rule."""

from __future__ import annotations

from assistant.facts import Entity, mentions, short_name


def test_fifteen_zones_with_short_names(bot):
    names = bot.zones()
    assert len(names) == 15
    assert names[0] == "沈阳高新区" and "绥中高新区" in names
    fuxin = next(e for e in bot.index.entities if e.name == "阜新高新区")
    assert set(fuxin.aliases) == {"阜新", "fuxin"}


def test_short_name():
    assert short_name("葫芦岛高新区") == "葫芦岛"
    assert short_name("成都市") == "成都"
    assert short_name("凉山州") == "凉山"


def test_mentions_tells_city_from_zone():
    dalian = Entity("大连高新区", ("大连", "dalian"))
    assert mentions(dalian, "沈阳、大连等8个高新区")
    assert not mentions(dalian, "大连市与上海市开展对口合作")


def test_targets_table_has_rd_share_with_year(bot):
    rd = [t for t in bot.targets() if t.value == "2.8" and t.unit == "%"]
    assert len(rd) == 1
    assert rd[0].indicator == "省级以上高新区科学研究与试验发展经费占GDP比重"
    assert rd[0].year == 2020 and rd[0].kind == "target"
    assert rd[0].section == "二、总体思路与发展目标 › （四）发展目标"


def test_baselines_are_not_targets(bot):
    talents = next(t for t in bot.targets() if t.value == "4961")
    assert talents.kind == "baseline" and talents.year is None and talents.unit == "人"


def test_zone_profile_groups_by_section(bot):
    profile = bot.zone("阜新")
    assert profile["name"] == "阜新高新区"
    sections = [g["section"] for g in profile["sections"]]
    assert any("专栏3" in s for s in sections) and any("专栏2" in s for s in sections)
