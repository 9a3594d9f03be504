"""An ordinary 403 is one line in the log, not a traceback."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def test_a_permission_denied_page_logs_one_line(cast, users, client, caplog):
    client.force_login(users["plaintiff"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/admin-tools/read-log/")  # court administrators only: PermissionDenied
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].getMessage() == "Forbidden (Permission denied): /admin-tools/read-log/"
    assert records[0].exc_info is None and "Traceback" not in caplog.text
