from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yunting.workflows.filing.batches import institution_key_authenticate

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("filing_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_rotate_list_revoke(cast):
    key, notice = run("create", "深圳市宝安农商银行")
    assert key.startswith("ytk_") and "\n" not in key and "只显示这一次" in notice
    assert institution_key_authenticate(key).institution.name == "深圳市宝安农商银行"
    new, _ = run("rotate", "深圳市宝安农商银行", "--court", "粤0306")
    assert institution_key_authenticate(key) is None and institution_key_authenticate(new) is not None
    listing, _ = run("list", "深圳市宝安农商银行")
    assert key[:12] in listing and new[:12] in listing and key not in listing
    run("revoke", new[:12])
    assert institution_key_authenticate(new) is None


def test_unknown_institution_and_court(cast):
    with pytest.raises(CommandError):
        run("create", "不存在的银行")
    with pytest.raises(CommandError):
        run("create", "深圳市宝安农商银行", "--court", "粤9999")
    with pytest.raises(CommandError):
        run("create", "深圳市宝安区人民法院")  # a court is not an institution
