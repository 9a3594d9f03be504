"""The Aho–Corasick filter over the default list and a court's own entries."""

import pytest

from yunting.core.threads.wordfilter import WordFilter, default_rules, effective_rules


@pytest.mark.parametrize(("text", "blocked", "masked", "stored"), [
    ("被告借款未还", [], [], "被告借款未还"),
    ("你这个傻逼", ["傻逼"], [], None),
    ("你这个傻 · 逼", ["傻逼"], [], None),             # separators between characters do not hide a word
    ("我要弄死你", ["弄死你"], [], None),                # threats are blocked
    ("他妈的，借条是假的", [], ["他妈的"], "＊＊＊，借条是假的"),
    ("说话像废 物一样", [], ["废物"], "说话像＊ ＊一样"),   # masked where it stands; the separator stays
    ("煞笔和混蛋", ["煞笔"], ["混蛋"], None),
])
def test_default_list(text, blocked, masked, stored):
    scan = WordFilter(default_rules()).scan(text)
    assert scan.blocked == blocked and scan.masked == masked
    if stored is not None:
        assert scan.text == stored


def test_court_entries_add_mask_and_lift_words():
    rules = effective_rules([("骗子", "block"), ("废物", "allow"), ("去死", "mask")])
    scan = WordFilter(rules).scan("骗子说的废物话，去死吧")
    assert scan.blocked == ["骗子"] and scan.masked == ["去死"]


def test_default_list_covers_common_abuse():
    rules = default_rules()
    assert len(rules) >= 30
    assert {"傻逼", "操你妈", "王八蛋", "弄死你", "贱人"} <= set(rules)


def test_empty_filter_passes_everything():
    assert WordFilter({}).scan("傻逼").blocked == []
