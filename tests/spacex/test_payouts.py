"""案款发还: the judge opens a payout (amounts must add up to the sum received), each recipient confirms the amount
and a bank account (Luhn, bank code, own name; masked everywhere), signs the distribution record by hand, and
the judge's approval seals the records into the e-file."""

import io
import json
from decimal import Decimal

import pytest

from tests.spacex.conftest import data_url, strokes_png
from yunting.core.journal.models import JournalEntry
from yunting.workflows.payouts import banks
from yunting.workflows.payouts.models import Payout

pytestmark = pytest.mark.django_db
ICBC = banks.with_check_digit("622202123456789012")  # 19 digits, ICBC BIN 622202
CMB = banks.with_check_digit("622588012345678")  # 16 digits, CMB BIN 622588


@pytest.mark.parametrize(("number", "ok"), [
    ("4111111111111111", True), ("79927398713", True), ("79927398710", False), (ICBC, True),
    (ICBC[:-1] + str((int(ICBC[-1]) + 1) % 10), False), ("622202abc", False)])
def test_luhn(number, ok):
    assert banks.luhn_ok(number) is ok


@pytest.mark.parametrize(("number", "bank"), [(ICBC, "ICBC"), (CMB, "CMB"), ("6217001234567890", "CCB"),
                                              ("8888881234567890", "")])
def test_issuer_by_bin(number, bank):
    assert banks.bank_of(number) == bank


def test_cards_of_rural_banks_are_known_by_their_bin():
    """Villagers bank with rural credit cooperatives and village banks: their cards must not be refused as
    "none of the listed banks" (the table has 274 banks, not the 15 large ones)."""
    rural = {code: name for code, name in banks.BANKS.items() if "农村信用" in name or "农商" in name
             or "农村商业" in name}
    assert len(rural) >= 20
    code = next(iter(rural))
    number = banks.with_check_digit(banks.BINS[code][0].ljust(18, "3"))
    assert banks.bank_of(number) == code
    assert banks.BANKS["GDB"] == "广发银行" and banks.canonical_code("bocom") == "COMM"
    picks = banks.choices()
    assert [c for c, _ in picks[:4]] == ["ICBC", "ABC", "BOC", "CCB"] and len(picks) == len(banks.BANKS)


def test_mask_shows_four_and_four():
    assert banks.mask("6222 0212 3456 7890 123") == "6222 **** **** 0123"
    assert banks.mask(CMB) == f"6225 **** **** {CMB[-4:]}"


def _open(login, scase, total="10000.00", amounts=("6000.00", "4000.00"), client=None):
    return (client or login("judge")).post(f"/space-extras/cases/{scase.pk}/payouts/", {
        "received_total": total, "party": [scase.plaintiff.pk, scase.defendant.pk],
        f"amount_{scase.plaintiff.pk}": amounts[0], f"amount_{scase.defendant.pk}": amounts[1], "note": "执行款"})


def test_amounts_must_add_up_and_only_the_judge_opens(login, scase):
    judge = login("judge")
    r = _open(login, scase, amounts=("6000.00", "3000.00"), client=judge)
    assert r.status_code == 302 and not Payout.objects.exists()
    page = judge.get(r.url).content.decode()
    assert "9000.00" in page and "10000.00" in page  # the message names both sums
    _open(login, scase, amounts=("6000.001", "3999.999"))
    assert not Payout.objects.exists()
    r = login("lawyer").post(f"/space-extras/cases/{scase.pk}/payouts/", {
        "received_total": "100", "party": [scase.plaintiff.pk], f"amount_{scase.plaintiff.pk}": "100"})
    assert not Payout.objects.exists()
    assert not JournalEntry.objects.filter(case=scase, kind__startswith="payouts.").exists()
    _open(login, scase)
    payout = Payout.objects.get()
    assert payout.received_total == Decimal("10000.00")
    assert [s.amount for s in payout.shares.all()] == [Decimal("6000.00"), Decimal("4000.00")]
    card = JournalEntry.objects.get(case=scase, kind="casespace.card_wanted")
    assert card.payload["card"] == "payout" and set(card.payload["user_ids"]) >= {
        scase.plaintiff.user_id, scase.defendant.user_id}


@pytest.fixture
def payout(login, scase):
    _open(login, scase)
    return Payout.objects.get()


def _confirm(client, payout, share, **kw):
    data = {"op": "confirm", "share": share.pk, "amount_ok": "1", "bank_code": "ICBC", "account_number": ICBC,
            "account_name": share.party.name, **kw}
    return client.post(f"/space-extras/payouts/{payout.pk}/act", data, follow=True).content.decode()


@pytest.mark.parametrize(("change", "message"), [
    ({"account_number": ICBC[:-1] + str((int(ICBC[-1]) + 1) % 10)}, "Luhn"),
    ({"account_number": "62220212"}, "16 至 19 位"),
    ({"bank_code": "XYZB"}, "未知的银行代码"),
    ({"account_number": banks.with_check_digit("888888123456789")}, "888888"),
    ({"bank_code": "CMB"}, "不是招商银行"),
    ({"account_name": "别人"}, "领款人本人"),
    ({"amount_ok": ""}, "请先确认应领金额"),
])
def test_a_bad_account_is_refused_with_a_specific_error_and_nothing_changes(login, scase, payout, change, message):
    share = payout.shares.get(party=scase.defendant)
    page = _confirm(login("defendant"), payout, share, **change)
    assert message in page
    share.refresh_from_db()
    assert share.status == "pending" and not share.account_masked and not share.account_number
    assert not JournalEntry.objects.filter(case=scase, kind="payouts.confirmed").exists()


def test_accounts_are_masked_in_pages_journal_and_api(login, scase, payout, bearer):
    share = payout.shares.get(party=scase.defendant)
    page = _confirm(login("defendant"), payout, share)
    share.refresh_from_db()
    masked = f"6222 **** **** {ICBC[-4:]}"
    assert share.status == "confirmed" and share.account_masked == masked and share.bank_name == "中国工商银行"
    assert share.account_number == ICBC  # kept (encrypted) for the transfer
    assert masked in page and ICBC not in page  # not even to its owner once sent
    assert ICBC not in login("judge").get(f"/space-extras/payouts/{payout.pk}/").content.decode()
    assert ICBC not in json.dumps([e.payload for e in JournalEntry.objects.filter(case=scase)], ensure_ascii=False)
    for who in ("judge", "defendant"):
        body = bearer(who).get(f"/api/v1/payouts/{payout.pk}")
        assert body.status_code == 200 and ICBC not in body.content.decode()
        assert masked in [s["account_masked"] for s in body.json()["shares"]]
    # the other recipient sees their own share only
    others = bearer("plaintiff").get(f"/api/v1/payouts/{payout.pk}").json()["shares"]
    assert [s["name"] for s in others] == [scase.plaintiff.name]
    # the API confirms with the same checks
    r = bearer("plaintiff").post(f"/api/v1/payouts/{payout.pk}/shares/{payout.shares.get(party=scase.plaintiff).pk}"
                                 "/confirm", {"amount_confirmed": True, "account_number": "1234567812345678",
                                              "bank_code": "ICBC", "account_name": scase.plaintiff.name},
                                 content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "payout_card_luhn"
    r = bearer("plaintiff").post(f"/api/v1/payouts/{payout.pk}/shares/{payout.shares.get(party=scase.plaintiff).pk}"
                                 "/confirm", {"amount_confirmed": True, "account_number": CMB, "bank_code": "CMB",
                                              "account_name": scase.plaintiff.name}, content_type="application/json")
    assert r.status_code == 200 and r.json()["account_masked"] == f"6225 **** **** {CMB[-4:]}" and CMB not in r.content.decode()


def test_strangers_get_404(login, payout, outsider, bearer):
    c = login("judge")
    c.force_login(outsider)
    assert c.get(f"/space-extras/payouts/{payout.pk}/").status_code == 404
    assert c.get("/api/v1/payouts/999999").status_code in (401, 404)


def test_signed_record_sealed_into_the_efile(login, scase, payout):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pypdf import PdfReader

    from yunting.core.efile.models import Document
    from yunting.kernel.blobs.store import blob_read

    judge = login("judge")
    for party, who, number, bank in ((scase.plaintiff, "plaintiff", CMB, "CMB"), (scase.defendant, "defendant", ICBC,
                                                                                   "ICBC")):
        share = payout.shares.get(party=party)
        client = login(who)
        # approving before everyone signed is refused
        judge.post(f"/space-extras/payouts/{payout.pk}/act", {"op": "approve"})
        payout.refresh_from_db()
        assert payout.status == "open"
        _confirm(client, payout, share, account_number=number, bank_code=bank)
        client.post(f"/space-extras/payouts/{payout.pk}/act", {"op": "sign", "share": share.pk,
                                                               "strokes": data_url(strokes_png())})
        share.refresh_from_db()
        assert share.status == "signed" and share.record_sha256 and share.signature_sha256
    assert not Document.objects.filter(case=scase, kind="payout_record").exists()
    judge.post(f"/space-extras/payouts/{payout.pk}/act", {"op": "approve"})
    payout.refresh_from_db()
    assert payout.status == "approved"
    docs = list(Document.objects.filter(case=scase, kind="payout_record").order_by("id"))
    assert [d.title for d in docs] == [f"案款发还笔录（{scase.plaintiff.name}）", f"案款发还笔录（{scase.defendant.name}）"]
    assert docs[0].section.volume == "main" and docs[0].entry.kind == "payouts.approved"
    pdf = blob_read(docs[1].blob_id)
    sigs = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert [s.field_name for s in sigs] == ["recipient", "seal"]
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")
    assert "案款发还笔录" in text and scase.defendant.name in text and ICBC[-4:] in text and ICBC not in text
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    # approved: nothing changes any more
    share = payout.shares.get(party=scase.defendant)
    _confirm(login("defendant"), payout, share, account_number=CMB, bank_code="CMB")
    share.refresh_from_db()
    assert share.account_number == ICBC
