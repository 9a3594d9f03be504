"""一键立案 in the browser's review page: a whole institution batch (run in the background, progress shown), or the
filings an officer ticks; only the court's filing staff, and only their court's batches."""

import json

import pytest

from yunting.core.cases.models import Case
from yunting.workflows.filing.batches import batch_create, institution_key_create
from yunting.workflows.filing.choices import FilingStatus
from yunting.workflows.filing.models import Filing, FilingBatch

pytestmark = [pytest.mark.django_db]
BANK_CODE = "914403001922115675"


def _record(i: int, **over) -> dict:
    record = {
        "external_id": f"WEB-{i:04d}", "case_type": "民初", "cause": "金融借款合同纠纷", "procedure": "simple",
        "claim_amount": f"{30000 + i}.00", "claims": [f"判令被告偿还借款本金{30000 + i}元", "判令被告承担本案诉讼费用"],
        "facts": f"被告向原告借款，合同编号JK{i:06d}，逾期未还。",
        "parties": [{"role": "plaintiff", "kind": "legal", "name": "深圳市宝安农商银行", "credit_code": BANK_CODE},
                    {"role": "defendant", "kind": "natural", "name": f"借款人{i}", "address": "深圳市宝安区"}],
    }
    record.update(over)
    return record


@pytest.fixture
def batch(cast, django_capture_on_commit_callbacks):
    orgs, _ = cast
    key, _ = institution_key_create(institution=orgs["bank"], court=orgs["court"])
    lines = [_record(i, **({"claims": []} if i == 5 else {})) for i in range(12)]
    with django_capture_on_commit_callbacks(execute=True):
        created = batch_create(key=key, body="\n".join(json.dumps(r, ensure_ascii=False) for r in lines).encode())
    created.refresh_from_db()
    assert (created.filed, created.invalid) == (11, 1)
    return created


def test_the_review_page_offers_the_batch_with_its_refusals(as_user, batch):
    html = as_user("filing_officer").get("/filing/review/").content.decode()
    assert f'data-testid="batch-{batch.pk}"' in html and 'data-testid="batch-accept"' in html
    assert "11 件待审" in html
    assert "WEB-0005" in html and "claims" in html  # the refused record, with its field


def test_one_click_accepts_the_whole_batch_in_the_background(as_user, batch, users, django_capture_on_commit_callbacks):
    officer = as_user("filing_officer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        res = officer.post(f"/filing/review/batches/{batch.pk}/accept/")
    assert res.status_code == 302
    batch.refresh_from_db()
    assert batch.accept_requested_by == users["filing_officer"] and batch.accept_finished_at is None
    html = officer.get(f"/filing/review/batches/{batch.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'data-testid="batch-running"' in html  # polls while it runs
    assert officer.post(f"/filing/review/batches/{batch.pk}/accept/").status_code == 302  # a second click: nothing
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the background task
    assert Filing.objects.filter(batch=batch, status=FilingStatus.ACCEPTED).count() == 11
    assert Case.objects.count() == 11
    res = officer.get(f"/filing/review/batches/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    html = res.content.decode()
    assert "every 2s" not in html and 'data-width="100"' in html and 'data-testid="batch-accept"' not in html
    assert res["HX-Refresh"] == "true"  # the page reloads once: the queue below has changed
    batch.refresh_from_db()
    assert batch.accept_finished_at is not None and batch.accept_failures == []


def test_accept_the_ticked_filings(as_user, batch):
    officer = as_user("filing_officer")
    ticked = list(Filing.objects.filter(batch=batch).order_by("id").values_list("pk", flat=True)[:3])
    res = officer.post("/filing/review/accept/", {"filing": [str(i) for i in ticked]}, follow=True)
    assert res.status_code == 200
    assert set(Filing.objects.filter(status=FilingStatus.ACCEPTED).values_list("pk", flat=True)) == set(ticked)
    assert "3" in res.content.decode()
    html = officer.get("/filing/review/").content.decode()
    assert 'name="filing"' in html and "8 件待审" in html


@pytest.mark.parametrize("who", ["judge", "plaintiff", "lawyer"])
def test_only_filing_staff_accept_in_bulk(as_user, batch, who):
    client = as_user(who)
    assert client.post(f"/filing/review/batches/{batch.pk}/accept/").status_code == 404
    assert client.get(f"/filing/review/batches/{batch.pk}/progress/").status_code == 404
    ids = list(Filing.objects.filter(batch=batch).values_list("pk", flat=True))
    assert client.post("/filing/review/accept/", {"filing": [str(i) for i in ids]}).status_code == 404
    assert not Filing.objects.filter(status=FilingStatus.ACCEPTED).exists()
    assert FilingBatch.objects.get(pk=batch.pk).accept_requested_at is None
