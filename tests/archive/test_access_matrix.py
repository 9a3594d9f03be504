"""归档 asked by everyone who should not get it (tests/hardening/matrix.py): the desk, a case's archive page, the
archive and transfer acts, a volume's ZIP, remote reading, the read list and the watermarked download. Strangers
and other courts' judges get a refusal naming nothing; a lawyer of the case reads the main volume only, never the
副卷, the packages or who read what."""

import pytest

from tests.hardening.matrix import STRANGERS, Req, make_strangers, run
from yunting.core.efile.models import Document
from yunting.core.journal.models import JournalEntry
from yunting.workflows.archive.services import archive_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(closed_case, users, make_case, tmp_path):
    archive_case(case=closed_case, actor=users["archivist"], retention="60", security_level="internal",
                 out=tmp_path / "out")
    people = {"anonymous": None, **{k: v for k, v in make_strangers(make_case, users).items() if k != "other_case"},
              **{k: users[k] for k in ("judge", "lawyer", "plaintiff", "archivist")}}
    main = Document.objects.get(case=closed_case, title="民事判决书")
    secondary = Document.objects.get(case=closed_case, title="审理报告")
    ids = {"case": closed_case.pk, "main": main.pk, "secondary": secondary.pk}
    leaks = [closed_case.number, "民事判决书", "审理报告", "借条（证据一）", users["plaintiff"].real_name,
             users["plaintiff"].id_number, "PK\x03\x04", "%PDF"]

    def state():
        return JournalEntry.objects.count(), closed_case.__class__.objects.get(pk=closed_case.pk).status

    return {"people": people, "ids": ids, "leaks": leaks, "state": state}


ROUTES = [
    ("GET", "/archive/cases/{case}/"),
    ("POST", "/archive/cases/{case}/archive/"),
    ("POST", "/archive/cases/{case}/transfer/"),
    ("GET", "/archive/cases/{case}/volumes/main.zip"),
    ("GET", "/archive/cases/{case}/volumes/secondary.zip"),
    ("GET", "/archive/cases/{case}/reading/"),
    ("GET", "/archive/cases/{case}/reads/"),
    ("GET", "/archive/documents/{main}/download"),
    ("GET", "/archive/documents/{secondary}/download"),
]


@pytest.mark.parametrize("who", STRANGERS)
def test_strangers_get_nothing(world, who):
    anon = who == "anonymous"
    reqs = [Req(who, m, t, ok=() if anon else (404,)) for m, t in ROUTES]
    reqs.append(Req(who, "GET", "/archive/", ok=() if anon else (403,)))
    run(reqs, people=world["people"], ids=world["ids"], leaks=world["leaks"], state=world["state"],
        body_for=lambda req, ids: {"retention": "30", "security_level": "internal", "court": "1"})


@pytest.mark.parametrize("who", ["lawyer", "plaintiff"])
def test_the_cases_own_lawyer_and_party_read_the_main_volume_only(world, who):
    reqs = [Req(who, m, t, ok=(404,)) for m, t in ROUTES if "reading" not in t and "{main}" not in t]
    reqs.append(Req(who, "GET", "/archive/", ok=(403,)))
    reqs.append(Req(who, "GET", "/archive/cases/{case}/reading/", ok=(200,)))
    run(reqs, people=world["people"], ids=world["ids"], leaks=["审理报告", "PK\x03\x04", "%PDF"],
        state=world["state"], body_for=lambda req, ids: {"retention": "30", "security_level": "internal"})
