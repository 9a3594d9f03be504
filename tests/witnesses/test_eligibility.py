"""The eligibility evaluator (issue 15 interface): every ground, every exclusion, every designated-place condition,
the >3 count (this application included); the CLI and the API answer the same; bad bodies are refused clearly."""

import json

import pytest

from yunting.workflows.witnesses import eligibility as e

BASE = {"procedure": "simple", "ground": "health", "applicant_flags": [], "witness_flags": [],
        "online_witnesses_for_side": 1, "objection_witness_may_be_directed": False,
        "several_witnesses_online": False, "applicant_outside_designated_place": False}


def check(**kw):
    return e.check(BASE | kw)


@pytest.mark.parametrize("ground", ["online_hearing", "cost", "health", "transport", "force_majeure", "other"])
def test_every_ground_allows_with_a_positive_reason(ground):
    out = check(ground=ground)
    assert out == {"online_allowed": True, "designated_place_required": False, "reasons": [out["reasons"][0]]}
    assert out["reasons"][0].startswith("符合证人在线作证条件") and e.GROUNDS[ground] in out["reasons"][0]


def test_a_ground_the_court_does_not_allow_is_refused_with_its_reason():
    rules = e.Rules(allowed_grounds=("health", "force_majeure"))
    out = e.check(BASE | {"ground": "cost"}, rules)
    assert out["online_allowed"] is False
    assert out["reasons"] == ["申请理由“出庭作证成本过高”不属于本院准许证人在线作证的情形（准许的情形：健康原因、不可抗力）"]


@pytest.mark.parametrize("procedure, allowed", [("ordinary_panel", False), ("ordinary", True), ("simple", True),
                                                ("small_claims", True)])
def test_ordinary_procedure_panel_is_excluded(procedure, allowed):
    out = check(procedure=procedure)
    assert out["online_allowed"] is allowed
    if not allowed:
        assert out["reasons"] == ["本案适用普通程序（合议庭）审理，证人不得在线作证，应当出庭作证"]
        assert out["designated_place_required"] is False


@pytest.mark.parametrize("flag", sorted(e.FLAGS))
@pytest.mark.parametrize("who, field", [("申请人", "applicant_flags"), ("证人", "witness_flags")])
def test_each_flag_on_applicant_or_witness_excludes(flag, who, field):
    out = check(**{field: [flag]})
    assert out["online_allowed"] is False
    assert len(out["reasons"]) == 1 and out["reasons"][0].startswith(f"{who}属于{e.FLAGS[flag]}")


@pytest.mark.parametrize("n, allowed", [(1, True), (3, True), (4, False), (9, False)])
def test_more_than_three_online_witnesses_for_one_side_this_one_included(n, allowed):
    out = check(online_witnesses_for_side=n)
    assert out["online_allowed"] is allowed
    if not allowed:
        assert out["reasons"] == [f"同一方当事人申请在线作证的证人不得超过3名（本方含本次申请共{n}名）"]


def test_every_exclusion_that_fires_gives_its_own_reason():
    out = check(procedure="ordinary_panel", applicant_flags=["professional_lender"],
                witness_flags=["dishonest_debtor", "integrity_red"], online_witnesses_for_side=5,
                several_witnesses_online=True)
    assert out["online_allowed"] is False and out["designated_place_required"] is False
    assert len(out["reasons"]) == 5


def test_a_refusal_comes_back_in_the_ui_language():
    from django.utils import translation

    with translation.override("zh-hans"):
        out = check(online_witnesses_for_side=4)
    assert out["reasons"] == ["同一方当事人申请在线作证的证人不得超过3名（本方含本次申请共4名）"]
    with translation.override("en"):  # the English UI gets English
        out = check(online_witnesses_for_side=4)
    assert out["reasons"] == ["One side may ask for at most 3 witnesses to testify online (this side asks for 4, "
                              "this application included)."]


@pytest.mark.parametrize("condition, words", [
    ("objection_witness_may_be_directed", "可能受他人指使"),
    ("several_witnesses_online", "多名证人在线作证"),
    ("applicant_outside_designated_place", "申请人未在法院指定的场所参加诉讼"),
])
def test_each_designated_place_condition(condition, words):
    out = check(**{condition: True})
    assert out["online_allowed"] is True and out["designated_place_required"] is True
    assert len(out["reasons"]) == 2 and words in out["reasons"][1] and "指定场所" in out["reasons"][1]


def test_all_designated_conditions_together_and_a_court_that_switches_one_off():
    out = check(objection_witness_may_be_directed=True, several_witnesses_online=True,
                applicant_outside_designated_place=True)
    assert len(out["reasons"]) == 4
    rules = e.Rules(designated_if_several=False)
    assert e.check(BASE | {"several_witnesses_online": True}, rules)["designated_place_required"] is False


@pytest.mark.parametrize("body, field", [
    ({"ground": "health"}, "procedure"),
    ({"procedure": "panel", "ground": "health"}, "procedure"),
    ({"procedure": "simple", "ground": "boredom"}, "ground"),
    ({"procedure": "simple", "ground": "health", "applicant_flags": "professional_lender"}, "applicant_flags"),
    ({"procedure": "simple", "ground": "health", "witness_flags": ["thief"]}, "witness_flags"),
    ({"procedure": "simple", "ground": "health", "online_witnesses_for_side": 0}, "online_witnesses_for_side"),
    ({"procedure": "simple", "ground": "health", "online_witnesses_for_side": "2"}, "online_witnesses_for_side"),
    ({"procedure": "simple", "ground": "health", "online_witnesses_for_side": True}, "online_witnesses_for_side"),
    ({"procedure": "simple", "ground": "health", "several_witnesses_online": "yes"}, "several_witnesses_online"),
])
def test_bad_bodies_name_the_field(body, field):
    with pytest.raises(e.InputError) as info:
        e.check(body)
    assert info.value.field == field and field in info.value.message


def test_cli_prints_the_verdict_and_refuses_bad_input(tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "application.json"
    path.write_text(json.dumps(BASE | {"several_witnesses_online": True}), encoding="utf-8")
    call_command("witness", "check", "--input", str(path))
    assert json.loads(capsys.readouterr().out) == check(several_witnesses_online=True)
    path.write_text(json.dumps({"procedure": "simple"}), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("witness", "check", "--input", str(path))
    assert info.value.code == 2 and "ground" in capsys.readouterr().err
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("witness", "check", "--input", str(path))
    assert "JSON" in capsys.readouterr().err


def bearer(user) -> str:
    from yunting.interfaces.api.models import ApiToken

    return ApiToken.issue(user=user, name="witness-check")[1]


@pytest.mark.django_db
def test_api_answers_the_same_as_the_cli_for_an_authenticated_caller(client, users):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {bearer(users['lawyer'])}"
    for body in (BASE, BASE | {"procedure": "ordinary_panel", "online_witnesses_for_side": 4},
                 BASE | {"applicant_outside_designated_place": True}):
        r = client.post("/api/v1/witness-eligibility", json.dumps(body), content_type="application/json")
        assert r.status_code == 200 and r.json() == e.check(body)


@pytest.mark.django_db
def test_api_bad_body_is_422_with_the_field_and_anonymous_is_401(client, users):
    r = client.post("/api/v1/witness-eligibility", json.dumps(BASE), content_type="application/json")
    assert r.status_code == 401
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {bearer(users['lawyer'])}"
    r = client.post("/api/v1/witness-eligibility", json.dumps(BASE | {"ground": "boredom"}),
                    content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "witness_eligibility_invalid" and r.json()["data"]["field"] == "ground"
    assert "ground" in r.json()["message"]
    r = client.post("/api/v1/witness-eligibility", json.dumps({"ground": "health"}), content_type="application/json")
    assert r.status_code == 422 and r.json()["data"]["field"] == "procedure"
