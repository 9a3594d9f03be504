"""A signature drawn on a pad is kept as drawn. A zigzag across the whole box looks like a sheet's outline to the
paper finder; straightened, it became a PDF and the officer's direct service was refused as "unsupported type".

Every hand signature enters through `strokes_through_intake`, which the check holds to a pad's rules: a PNG no
larger than any pad (from its header, nothing decoded), however small the pad."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image, ImageDraw

from yunting.core.efile.intake import strokes_through_intake, upload_check, upload_receive
from yunting.core.efile.models import Upload, UploadStatus
from yunting.kernel.blobs.store import blob_read
from yunting.kernel.common.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def signature_across_the_pad(width: int = 2480, height: int = 1240) -> bytes:
    """Strokes as the pad draws them: dark ink on a transparent canvas, a zigzag from edge to edge."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    points = [(0.02 * width, 0.7 * height)] + [(0.02 * width + k * 0.96 * width / 11, height * (0.3 + 0.4 * (k % 2)))
                                               for k in range(1, 12)]
    ImageDraw.Draw(image).line(points, fill=(17, 17, 17, 255), width=width // 150, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _checked(users, png: bytes, **intent):
    upload = upload_receive(streams=[io.BytesIO(png)], purpose="payout_sign", user=users["plaintiff"],
                            intent=intent)
    return upload_check(upload_id=upload.pk)


def test_drawn_strokes_stay_the_png_that_was_drawn(users):
    png = signature_across_the_pad()
    upload = _checked(users, png, drawn=True)
    assert upload.status == UploadStatus.ACCEPTED
    assert blob_read(upload.document_id) == png
    assert not any(n["code"] == "photo_straightened" for n in upload.notes)


def test_the_same_image_sent_as_a_photo_is_taken_for_paper(users):
    """What the drawn flag changes: a photo upload of that image is straightened into a PDF document."""
    upload = _checked(users, signature_across_the_pad())
    assert upload.status == UploadStatus.ACCEPTED
    assert blob_read(upload.document_id).startswith(b"%PDF-")


# --- strokes_through_intake: the one way in for strokes, held to a pad's rules ---------------------------------------
def strokes_larger_than_any_pad(side: int = 13_000) -> bytes:
    """A blank 1-bit PNG: about 20 KB on the wire, 169 million pixels once decoded (under the limit for a photo of
    paper, so only a pad's rules refuse it)."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def _bad_strokes(message: str = "") -> ValidationFailed:
    """What a workflow passes as `invalid`: its own code, the intake's message when the check refused."""
    return ValidationFailed(message or "not a drawing", code="test_bad_strokes", data={"field": "strokes"})


def _through(users, png):
    return strokes_through_intake(png=png, user=users["plaintiff"], purpose="paper_handsign", subject="paper:1",
                                  invalid=_bad_strokes)


def test_a_small_pads_strokes_are_accepted_as_drawn_and_named_by_the_accepted_blob(users):
    """A 600 × 240 pad (mediation, witness oath, paper hand-signing) is far below a document photo's resolution:
    the pad's rules accept it, where the same image sent as a photo of paper is refused as too small."""
    png = signature_across_the_pad(600, 240)
    strokes = _through(users, png)
    upload = Upload.objects.get(pk=strokes.upload_id)
    assert upload.status == UploadStatus.ACCEPTED and upload.intent == {"drawn": True}
    assert upload.purpose == "paper_handsign" and upload.user == users["plaintiff"]
    assert strokes.png == png and strokes.sha256 == upload.document_id == hashlib.sha256(png).hexdigest()
    photo = _checked(users, png)
    assert photo.status == UploadStatus.REFUSED and photo.problems[0]["code"] == "image_low_resolution"


def test_strokes_larger_than_any_pad_are_refused_by_the_check_with_the_callers_code(users):
    bomb = strokes_larger_than_any_pad()
    assert len(bomb) < 50_000
    with pytest.raises(ValidationFailed) as err:
        _through(users, bomb)
    assert err.value.code == "test_bad_strokes" and err.value.data["field"] == "strokes"
    assert "签名图像为 13000×13000 像素" in str(err.value.message)  # the intake's own words, in Chinese
    upload = Upload.objects.get(pk=err.value.data["upload_id"])
    assert upload.status == UploadStatus.REFUSED and [p["code"] for p in upload.problems] == ["strokes_too_large"]
    assert err.value.data["problems"] == upload.problems
    assert not upload.parts.exists() and upload.document_id is None


def test_a_png_signature_without_a_png_header_is_refused_by_the_check(users):
    fake = b"\x89PNG\r\n\x1a\n" + b"not an image header at all " * 20
    with pytest.raises(ValidationFailed) as err:
        _through(users, fake)
    assert err.value.code == "test_bad_strokes"
    upload = Upload.objects.get(pk=err.value.data["upload_id"])
    assert upload.status == UploadStatus.REFUSED and upload.problems[0]["code"] == "strokes_not_png"


@pytest.mark.parametrize("png", [b"", None, "data:image/png;base64,", b"GIF89a\x01\x00\x01\x00",
                                 b"%PDF-1.7\n% a PDF named signature.png", b"\x89PNG" + b"\0" * 2_000_000],
                         ids=["empty", "none", "text", "gif", "pdf", "over-2-MB"])
def test_what_is_not_a_pads_png_is_refused_before_anything_is_stored(users, png):
    with pytest.raises(ValidationFailed) as err:
        _through(users, png)
    assert (err.value.code, str(err.value.message)) == ("test_bad_strokes", "not a drawing")
    assert not Upload.objects.exists()


@pytest.mark.parametrize("purpose", ["sharedcourt_photo", "", "Filing", "filing;drop"])
def test_an_upload_purpose_the_column_cannot_hold_is_refused_on_every_database(users, purpose):
    """A purpose longer than its 16 characters passed on SQLite and failed only on PostgreSQL, at the insert."""
    from yunting.kernel.blobs.models import Blob

    blobs = Blob.objects.count()
    with pytest.raises(ValueError, match="upload purpose"):
        upload_receive(streams=[io.BytesIO(signature_across_the_pad(600, 240))], purpose=purpose,
                       user=users["plaintiff"])
    assert not Upload.objects.exists() and Blob.objects.count() == blobs
