"""One-click archive: one BagIt package per volume that `yunting verify DIR` checks offline, and that names the
first problem when one byte is changed in a payload file, a proof or the manifest."""

from __future__ import annotations

import json
import subprocess
from io import StringIO
from pathlib import Path

import bagit
import pytest
from django.core.management import call_command

from yunting.core.journal.models import JournalEntry
from yunting.workflows.archive.bagcheck import verify_package
from yunting.workflows.archive.models import ArchiveVolume
from yunting.workflows.archive.services import archive_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(closed_case, users, tmp_path):
    out = tmp_path / "out"
    archive_case(case=closed_case, actor=users["archivist"], retention="60", security_level="internal", out=out)
    return closed_case, out


def _verify(path: Path) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify", str(path), stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue() + err.getvalue()


def test_each_volume_is_a_valid_bag_with_its_own_documents(archived):
    case, out = archived
    assert sorted(p.name for p in out.iterdir()) == ["main", "secondary"]
    for volume in ("main", "secondary"):
        bag = bagit.Bag(str(out / volume))
        bag.validate()  # the reference implementation agrees: RFC 8493 layout and every checksum
        for name in ("bagit.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt", "yunting-manifest.json",
                     "data/00-cover.pdf", "data/01-catalogue.pdf", "data/99-backup-sheet.pdf", "data/metadata.json"):
            assert (out / volume / name).is_file(), (volume, name)
    main = json.loads((out / "main" / "yunting-manifest.json").read_text())
    secondary = json.loads((out / "secondary" / "yunting-manifest.json").read_text())
    assert [d["title"] for d in main["documents"]] == ["民事起诉状", "借条（证据一）", "民事判决书"]
    assert [d["title"] for d in secondary["documents"]] == ["审理报告"]  # 副卷 material never in the 正卷
    assert main["tree_head"] == secondary["tree_head"]  # one signed tree head for the whole act
    assert main["archive"]["retention"] == "60" and main["archive"]["archive_number"].endswith("-D60-Z")
    assert main["case"]["case_number"] == case.number and main["case"]["outcome"] == "judgment"


def test_the_catalogue_lists_every_item_with_pages(archived):
    _case, out = archived
    text = subprocess.run(["pdftotext", "-layout", str(out / "main" / "data" / "01-catalogue.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for word in ("卷内目录", "顺序号", "责任者", "题名", "页号", "民事起诉状", "民事判决书", "1–2", "4–6"):
        assert word in text, word
    cover = subprocess.run(["pdftotext", str(out / "main" / "data" / "00-cover.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "60年" in cover.replace(" ", "") or "60 年" in cover
    fonts = subprocess.run(["pdffonts", str(out / "main" / "data" / "00-cover.pdf")], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every font embedded


def test_the_pages_the_archive_makes_are_pdf_a(archived):
    """Cover, catalogue and 备考表 are PDF/A-2b: the XMP identification and an sRGB output intent are in each."""
    import pikepdf

    _case, out = archived
    for name in ("00-cover.pdf", "01-catalogue.pdf", "99-backup-sheet.pdf"):
        with pikepdf.open(out / "main" / "data" / name) as pdf:
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B"), name
            intents = pdf.Root.get("/OutputIntents")
            assert intents is not None and str(intents[0].get("/S")) == "/GTS_PDFA1", name


def test_archiving_is_journaled_and_the_case_becomes_read_only(archived, users, add_document):
    from yunting.kernel.common.errors import Conflict

    case, _out = archived
    case.refresh_from_db()
    assert case.status == "archived"
    entry = JournalEntry.objects.get(case=case, kind="archive.archived")
    assert entry.payload["retention"] == "60" and set(entry.payload["volumes"]) == {"main", "secondary"}
    assert ArchiveVolume.objects.filter(case=case).count() == 2
    with pytest.raises(Conflict):
        add_document(case, "补充证据", "evidence", actor=users["lawyer"])


def test_verify_accepts_an_untouched_package(archived):
    _case, out = archived
    for volume in ("main", "secondary"):
        code, text = _verify(out / volume)
        assert code == 0, text
        assert "VERIFIED" in text


def _flip(path: Path, at: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if at is None else at
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def test_one_byte_changed_in_a_payload_is_named(archived):
    _case, out = archived
    _flip(out / "main" / "data" / "documents" / "0003.pdf")
    code, text = _verify(out / "main")
    assert code == 1
    assert "payload file data/documents/0003.pdf" in text


def test_one_byte_changed_in_a_proof_is_named(archived):
    _case, out = archived
    proof = out / "main" / "proofs" / "0002.json"
    bundle = json.loads(proof.read_text())
    path = bundle["audit_path"][0]
    raw = bytearray(__import__("base64").b64decode(path))
    raw[0] ^= 0x01
    bundle["audit_path"][0] = __import__("base64").b64encode(bytes(raw)).decode()
    proof.write_text(json.dumps(bundle))
    code, text = _verify(out / "main")
    assert code == 1
    assert "proof proofs/0002.json" in text


def test_one_byte_changed_in_the_manifest_is_named(archived):
    _case, out = archived
    manifest = out / "main" / "yunting-manifest.json"
    text = manifest.read_text()
    manifest.write_text(text.replace('"retention": "60"', '"retention": "20"', 1))
    assert manifest.read_text() != text
    code, said = _verify(out / "main")
    assert code == 1
    assert "manifest signature" in said


def test_a_foreign_key_does_not_verify(archived, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _case, out = archived
    pem = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    check = verify_package(out / "main", public_key_pem=pem)
    assert not check.ok and check.problem.startswith("manifest signature")


def test_open_cases_and_second_archiving_are_refused(make_case, closed_case, users, tmp_path):
    from yunting.workflows.archive.errors import ArchiveError

    with pytest.raises(ArchiveError) as exc:
        archive_case(case=make_case(), actor=users["archivist"], retention="20", security_level="internal",
                     out=tmp_path / "a")
    assert exc.value.code == "archive_not_closed"
    with pytest.raises(ArchiveError) as exc:
        archive_case(case=closed_case, actor=users["archivist"], retention="forever", security_level="internal",
                     out=tmp_path / "b")
    assert exc.value.code == "archive_retention" and not (tmp_path / "b").exists()
    archive_case(case=closed_case, actor=users["archivist"], retention="20", security_level="internal",
                 out=tmp_path / "c")
    with pytest.raises(ArchiveError) as exc:
        archive_case(case=closed_case, actor=users["archivist"], retention="20", security_level="internal",
                     out=tmp_path / "d")
    assert exc.value.code == "archive_done"
    assert JournalEntry.objects.filter(case=closed_case, kind="archive.archived").count() == 1
