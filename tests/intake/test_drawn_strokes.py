"""A signature drawn on a pad is kept as drawn. A zigzag across the whole box looks like a sheet's outline to the
paper finder; straightened, it became a PDF and the officer's direct service was refused as "unsupported type"."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from yunting.core.efile.intake import upload_check, upload_receive
from yunting.core.efile.models import UploadStatus
from yunting.kernel.blobs.store import blob_read

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
