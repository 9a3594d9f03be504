import pytest
from django.db import connection

from yunting.core.cases.selectors import case_list_for
from yunting.core.people.services import user_find_by_id_number, user_set_id_number
from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.search.engine import search_ids, search_index, search_index_many
from yunting.kernel.search.tokens import tokenize


def test_tokens_are_han_bigrams_and_words():
    assert tokenize("借款合同") == ["借款", "款合", "合同"]
    assert tokenize("（2026）粤0306民初12号") == ["2026", "粤", "0306", "民初", "12", "号"]


@pytest.mark.parametrize(("query", "expected"), [
    ("借款", {1}), ("租赁", {2}), ("房屋租赁合同", {2}), ("合同", {1, 2}), ("借款 合同", {1}),
    ("租赁借款", set()), ("纠纷", {1, 2}), ("款借", set()),
])
def test_two_character_chinese_words_are_found(db, query, expected):
    search_index(scope="t", object_id=1, text="原告诉被告借款合同纠纷一案")
    search_index(scope="t", object_id=2, text="房屋租赁合同纠纷")
    search_index(scope="other", object_id=3, text="借款 租赁")
    assert set(search_ids(scope="t", query=query)) == expected


def test_bulk_index_replaces_texts_and_the_last_text_of_an_object_wins(db):
    search_index(scope="t", object_id=1, text="借款合同纠纷")
    search_index_many(scope="t", items=[(1, "房屋租赁合同纠纷", 7), (2, "劳动争议", None), (2, "买卖合同纠纷", 8)])
    assert search_ids(scope="t", query="借款") == []  # replaced
    assert search_ids(scope="t", query="租赁") == [1]
    assert search_ids(scope="t", query="劳动") == []  # the later text of object 2 replaced the earlier one
    assert search_ids(scope="t", query="买卖", group_id=8) == [2]


def test_my_cases_search_finds_cause_party_and_number(make_case, users):
    loan = make_case(cause="民间借贷纠纷", defendant_name="欧阳娜娜")
    lease = make_case(cause="房屋租赁合同纠纷")
    judge = users["judge"]
    assert list(case_list_for(judge, q="借贷")) == [loan]
    assert list(case_list_for(judge, q="租赁")) == [lease]
    assert list(case_list_for(judge, q="欧阳")) == [loan]
    assert list(case_list_for(judge, q=f"民初{lease.sequence}号")) == [lease]
    assert list(case_list_for(users["mediator"], q="借贷")) == []  # search never widens access


def test_id_numbers_are_encrypted_at_rest_and_findable(db, users):
    user = users["plaintiff"]
    with connection.cursor() as cur:
        cur.execute("SELECT id_number FROM people_user WHERE id = %s", [user.pk])
        raw = cur.fetchone()[0]
    assert "11010519491231002X" not in raw and raw.startswith("gAAAA")
    user.refresh_from_db()
    assert user.id_number == "11010519491231002X"
    assert user.id_number_masked == "1101**********002X"
    assert user_find_by_id_number("11010519491231002x") == user


def test_bad_id_number_is_refused_and_changes_nothing(db, users):
    user = users["defendant"]
    before = user.id_number
    with pytest.raises(ValidationFailed) as exc:
        user_set_id_number(user=user, id_number="110105194912310021")
    assert exc.value.code == "ric_checksum"
    user.refresh_from_db()
    assert user.id_number == before
