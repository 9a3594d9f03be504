import pytest

from yunting.kernel.common.canonical import canonical_json
from yunting.kernel.security.identifiers import IdentifierError, ric_validate, uscc_validate
from yunting.kernel.security.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize("number", ["11010519491231002X", "360426199101010071", "11010519491231002x"])
def test_valid_resident_ids(number):
    assert ric_validate(number) == number.upper()


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "ric_checksum"),
        ("11010519491231002", "ric_format"),
        ("1101051949123100XX", "ric_format"),
        ("110105194902300025", "ric_birth_date"),
    ],
)
def test_invalid_resident_ids(number, code):
    with pytest.raises(IdentifierError) as exc:
        ric_validate(number)
    assert exc.value.code == code


def test_unknown_area_code_is_not_rejected():
    # 990000 is no division code, but the checksum is right: DOMAIN.md says do not reject.
    from yunting.kernel.security.identifiers import ric_check_char

    first = "99000019800101001"
    assert ric_validate(first + ric_check_char(first))


@pytest.mark.parametrize("code", ["91110000600037341L", "91350100M000100Y43"])
def test_valid_credit_codes(code):
    assert uscc_validate(code) == code


@pytest.mark.parametrize(
    ("code", "err"),
    [("91110000600037341M", "uscc_checksum"), ("91110000600037341", "uscc_format"), ("9111000060003734IL", "uscc_format")],
)
def test_invalid_credit_codes(code, err):
    with pytest.raises(IdentifierError) as exc:
        uscc_validate(code)
    assert exc.value.code == err


def test_masking_matches_domain_examples():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张某"
    assert mask_id_number("") == ""


def test_canonical_json_is_stable_and_refuses_floats():
    assert canonical_json({"b": 1, "a": "借款"}) == '{"a":"借款","b":1}'.encode()
    with pytest.raises(TypeError):
        canonical_json({"amount": 1.5})
