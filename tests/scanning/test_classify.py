import pytest

from yunting.workflows.scanning.classify import suggest_kind, title_from


@pytest.mark.parametrize("text, kind", [
    ("民事起诉状\n原告张伟", "complaint"),
    ("民 事 答 辩 状\n答辩人李娜", "defence"),
    ("民事反诉状\n反诉人", "counterclaim"),  # not 起诉状
    ("送达回证\n受送达人", "service_receipt"),
    ("证据清单\n1. 借条", "evidence_list"),
    ("授权委托书\n委托人", "power_of_attorney"),
    ("借条\n今借到张伟人民币十万元", "evidence"),  # nothing named: evidence
    ("借条\n……" + "字" * 200 + "附：起诉状副本", "complaint"),  # only far down: still a hint
    ("", "evidence"),
])
def test_suggested_kind(text, kind):
    assert suggest_kind(text) == kind


def test_only_kinds_the_catalogue_offers():
    assert suggest_kind("民事起诉状", offered={"evidence", "other"}) == "evidence"
    assert suggest_kind("民事起诉状", offered={"other"}) == "other"


def test_title_from_the_first_line_naming_the_kind():
    assert title_from("民事答辩状\n答辩人李娜", "答辩状") == "民事答辩状"
    assert title_from("借条\n今借到", "证据") == "证据"
