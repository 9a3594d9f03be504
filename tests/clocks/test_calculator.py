"""`yunting deadline` and GET /api/v1/deadlines/compute: one JSON shape, the same refusals (exit 2 / HTTP 400)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from yunting.cli import main

URL = "/api/v1/deadlines/compute"


def run_cli(*args) -> tuple[int, dict | None, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("deadline", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, None, err.getvalue()
    return 0, json.loads(out.getvalue()), err.getvalue()


def test_cli_prints_one_json_object_with_the_contract_fields():
    code, body, err = run_cli("appeal-judgment", "--from", "2026-09-22")
    assert code == 0 and err == ""
    assert body["due"] == "2026-10-08" and body["kind"] == "appeal-judgment" and body["provisional"] is False
    assert "第一百七十一条" in body["basis"] and body["steps"][-1]["op"] == "rest_day"


def test_cli_excluded_intervals_repeat():
    _, body, _ = run_cli("trial-simple", "--from", "2026-02-14", "--excluded", "2026-03-01:2026-03-10",
                         "--excluded", "2026-05-20:2026-05-22")
    assert body["due"] == "2026-05-27" and body["excluded_days"] == 13


def test_cli_provisional_in_2027():
    _, body, _ = run_cli("trial-ordinary", "--from", "2026-12-20")
    assert body["provisional"] is True and body["due"] == "2027-06-21"


@pytest.mark.parametrize(("args", "words"), [
    (("nonsense", "--from", "2026-03-02"), "未知的期间种类"),
    (("answer", "--from", "2026-3-2x"), "日期格式不正确"),
    (("answer", "--from", "2026-02-30"), "日期格式不正确"),
    (("answer", "--from", "2026-03-02", "--excluded", "2026-03-05"), "排除期间格式不正确"),
])
def test_cli_bad_input_exits_2_with_a_chinese_message(args, words):
    code, body, err = run_cli(*args)
    assert code == 2 and body is None and err.startswith("错误：") and words in err


def test_console_script(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["yunting", "deadline", "nope", "--from", "2026-03-02"])
    assert exc.value.code == 2 and "未知的期间种类" in capsys.readouterr().err
    main(["yunting", "deadline", "fee-payment", "--from", "2026-02-05"])
    assert json.loads(capsys.readouterr().out)["due"] == "2026-02-12"


def test_api_answers_the_same_json_without_login():
    code, cli, _ = run_cli("trial-simple", "--from", "2026-02-14", "--excluded", "2026-03-01:2026-03-10")
    r = Client().get(URL, {"kind": "trial-simple", "from": "2026-02-14", "excluded": ["2026-03-01:2026-03-10"]})
    assert r.status_code == 200 and r.json() == cli


@pytest.mark.parametrize(("params", "code"), [
    ({"kind": "nope", "from": "2026-03-02"}, "deadline_unknown_kind"),
    ({"kind": "answer", "from": "bad"}, "deadline_bad_date"),
    ({"kind": "answer"}, "deadline_bad_date"),
    ({"kind": "answer", "from": "2026-03-02", "excluded": "x"}, "deadline_bad_interval"),
])
def test_api_bad_input_is_400_with_a_code(params, code):
    r = Client().get(URL, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 400 and r.json()["code"] == code and r.json()["message"]


@pytest.mark.django_db
def test_court_closures_apply_when_the_court_is_named(court, users):
    from yunting.core.clocks.services import closure_declare

    closure_declare(court=court, actor=users["court_admin"], day="2026-03-09", reason="台风红色预警停止办公")
    _, body, _ = run_cli("fee-payment", "--from", "2026-03-02", "--court", court.court_code)
    assert body["due"] == "2026-03-10" and "闭院" in body["steps"][-1]["text"]
    r = Client().get(URL, {"kind": "fee-payment", "from": "2026-03-02"})
    assert r.json()["due"] == "2026-03-09"  # no court named: the official calendar only
