"""`yunting fee` and GET /api/v1/fees/estimate: the same JSON, the same Chinese refusals (exit 2 / HTTP 400)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from yunting.cli import main

URL = "/api/v1/fees/estimate"


def run_cli(*args) -> tuple[int, dict | None, str]:
    """(exit code, parsed stdout, stderr) of `yunting fee ARGS` through call_command."""
    out, err = StringIO(), StringIO()
    try:
        call_command("fee", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, None, err.getvalue()
    return 0, json.loads(out.getvalue()), err.getvalue()


def api_get(**params):
    return Client().get(URL, params)


# --- CLI ---------------------------------------------------------------------------------------------------------

def test_cli_prints_the_fee_as_json():
    code, body, err = run_cli("property", "--amount", "100000")
    assert code == 0 and err == ""
    assert body["fee"] == "2300.00" and body["kind"] == "property" and body["currency"] == "CNY"
    assert body["steps"][1]["text"] == "10,000 至 100,000 元部分 90,000.00 × 2.5% = 2,250.00"


def test_cli_half():
    code, body, _ = run_cli("property", "--amount", "1000000", "--half")
    assert code == 0 and body["fee"] == "6900.00" and body["half"] is True


@pytest.mark.parametrize(("args", "words"), [
    (("nonsense",), "未知的费用种类"),
    (("property",), "请填写诉讼请求金额"),
    (("property", "--amount", "-1"), "不能为负数"),
    (("property", "--amount", "abc"), "不是有效的数字"),
    (("enforcement", "--amount", "100000", "--half"), "不适用减半"),
    (("bankruptcy", "--amount", "100000", "--half"), "不适用减半"),
])
def test_cli_bad_input_exits_2_with_a_chinese_message_on_stderr(args, words):
    code, body, err = run_cli(*args)
    assert code == 2 and body is None
    assert err.startswith("错误：") and words in err


def test_cli_console_script_exit_code_and_streams(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["yunting", "fee", "property", "--amount", "-5"])
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "金额不能为负数" in captured.err
    main(["yunting", "fee", "labor", "--half"])
    assert json.loads(capsys.readouterr().out)["fee"] == "5.00"


def test_cli_reads_the_court_settings(settings):
    settings.YUNTING_FEE_RANGE_AMOUNTS = {"divorce": "300"}
    settings.YUNTING_FEE_ROUNDING = "1"
    _, body, _ = run_cli("divorce", "--amount", "500000")
    assert (body["fee"], body["fee_min"], body["fee_max"]) == ("1800.00", "1550.00", "1800.00")
    _, body, _ = run_cli("payment-order", "--amount", "100000")
    assert body["fee"] == "767.00" and body["rounding"] == "1"


def test_cli_bad_settings_are_a_command_error(settings):
    settings.YUNTING_FEE_RANGE_AMOUNTS = {"divorce": "1000"}
    with pytest.raises(CommandError, match="诉讼费设置有误"):
        call_command("fee", "divorce", stdout=StringIO(), stderr=StringIO())


# --- API ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("property", "100000", False), ("property", "10001", True), ("divorce", "500000", True), ("ip", None, False),
    ("enforcement", None, False), ("preservation", "1000000", False), ("payment-order", "100000", False),
    ("bankruptcy", "200000000", False), ("labor", "50000", True), ("jurisdiction-objection", None, True),
])
def test_api_answers_exactly_what_the_cli_prints(args):
    kind, amount, half = args
    cli = ["fee", kind] + (["--amount", amount] if amount else []) + (["--half"] if half else [])
    _, printed, _ = run_cli(*cli[1:])
    params = {"kind": kind, **({"amount": amount} if amount else {}), **({"half": "true"} if half else {})}
    r = api_get(**params)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    assert r.json() == printed


def test_api_is_public_and_ignores_a_bad_token():
    r = Client(headers={"Authorization": "Bearer not-a-token"}).get(URL, {"kind": "labor"})
    assert r.status_code == 200 and r.json()["fee"] == "10.00"


def test_api_step_fields_keep_from_and_nulls():
    body = api_get(kind="property", amount="100000").json()
    assert body["steps"][0] == {"op": "flat", "text": "不超过 10,000 元部分 10,000.00，每件交纳 50.00",
                                "from": "0.00", "to": "10000.00", "base": "10000.00", "rate": None,
                                "amount": "50.00"}
    assert body["fee_min"] is None and body["amount"] == "100000.00" and body["half"] is False


def test_api_empty_amount_is_no_amount():
    body = api_get(kind="enforcement", amount="").json()
    assert body["amount"] is None and (body["fee"], body["fee_min"], body["fee_max"]) == ("50.00", "50.00", "500.00")


@pytest.mark.parametrize(("params", "code", "words"), [
    ({"kind": "nonsense"}, "fee_unknown_kind", "未知的费用种类"),
    ({}, "fee_unknown_kind", "未知的费用种类"),
    ({"kind": "property"}, "fee_amount_required", "请填写"),
    ({"kind": "property", "amount": "-1"}, "fee_amount_negative", "不能为负数"),
    ({"kind": "property", "amount": "12abc"}, "fee_amount_invalid", "不是有效的数字"),
    ({"kind": "property", "amount": "0.001"}, "fee_amount_too_precise", "精确到分"),
    ({"kind": "preservation", "amount": "1000", "half": "true"}, "fee_half_not_allowed", "不适用减半"),
    ({"kind": "property", "amount": "1", "half": "maybe"}, "invalid", "请求参数无效"),
])
def test_api_bad_input_is_400_in_the_error_shape(params, code, words):
    r = api_get(**params)
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"code", "message", "data"} and body["code"] == code and words in body["message"]


def test_api_unknown_kind_lists_the_kinds():
    body = api_get(kind="x").json()
    assert body["data"]["kind"] == "x" and "property" in body["data"]["kinds"]


def test_api_reads_the_court_settings(settings):
    settings.YUNTING_FEE_RANGE_AMOUNTS = {"other-nonproperty": "70"}
    body = api_get(kind="other-nonproperty", half="1").json()
    assert (body["fee"], body["fee_min"], body["fee_max"]) == ("35.00", "25.00", "50.00")


def test_openapi_publishes_the_public_endpoint():
    schema = Client().get("/api/v1/openapi.json").json()
    op = schema["paths"][URL]["get"]
    assert not op.get("security")
    assert {p["name"] for p in op["parameters"]} == {"kind", "amount", "half"}
