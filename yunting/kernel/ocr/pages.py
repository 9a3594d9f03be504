"""Page images: rendering a PDF page (poppler's pdftoppm, already needed for pdftotext), QR codes (OpenCV's
QRCodeDetector), skew (projection profile) and blank pages (kernel.scan.pixels, the intake's own rule)."""

from __future__ import annotations

import io
import subprocess
import tempfile

import numpy as np
from PIL import Image

from yunting.kernel.scan.pixels import looks_blank

MAX_SKEW = 6.0  # degrees either way a scanner feed skews a page; beyond it is a page put in sideways
SKEW_STEP = 0.25
RENDER_TIMEOUT_S = 60


def page_count(pdf: bytes) -> int:
    from yunting.kernel.pdf.tools import pdf_page_count

    return pdf_page_count(io.BytesIO(pdf))


def render_page(pdf: bytes, number: int, *, dpi: int = 200) -> Image.Image:
    """Page `number` (1-based) as a grayscale image at `dpi`. pdftoppm runs bounded in time; the PDF has passed the
    checked intake before it gets here."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-gray", "-png", fh.name],
            capture_output=True, timeout=RENDER_TIMEOUT_S, check=True)
    image = Image.open(io.BytesIO(out.stdout))
    image.load()
    return image.convert("L")


def find_qr(image: Image.Image) -> str:
    """The text of a QR code on the page, "" when none. Tried at full size and halved (a 300 dpi scan of a small
    code detects better smaller)."""
    import cv2

    detector = cv2.QRCodeDetector()
    gray = np.asarray(image.convert("L"))
    for scale in (1.0, 0.5):
        img = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        try:
            text, points, _ = detector.detectAndDecode(img)
        except cv2.error:
            continue
        if text:
            return text
    return ""


def _ink(image: Image.Image, width: int = 800) -> np.ndarray:
    """Ink mask (1 = ink) of a downscaled copy: enough to measure skew, cheap."""
    small = image.convert("L")
    if small.width > width:
        small = small.resize((width, round(small.height * width / small.width)), Image.Resampling.BOX)
    arr = np.asarray(small, dtype=np.uint8)
    threshold = min(160, int(np.median(arr)) - 40)
    return (arr < threshold).astype(np.float32)


def skew_angle(image: Image.Image) -> float:
    """Degrees the text lines are turned (counter-clockwise positive), found by the projection profile: the angle
    at which rows of ink are sharpest (largest variance of row sums). 0.0 for a page without enough ink."""
    import cv2

    ink = _ink(image)
    if ink.sum() < 200:
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(rotated.sum(axis=1)))

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 1.0), key=sharpness)
    fine = max(np.arange(coarse - 1.0, coarse + 1.0 + 1e-9, SKEW_STEP), key=sharpness)
    return round(-float(fine), 2)


def deskew(image: Image.Image, angle: float | None = None) -> tuple[Image.Image, float]:
    """The page turned straight (white fills the corners) and the angle it was turned by."""
    angle = skew_angle(image) if angle is None else angle
    if abs(angle) < SKEW_STEP / 2:
        return image, 0.0
    return image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255), angle


def is_blank(image: Image.Image) -> bool:
    """A blank page (the back of a sheet, a separator): the same rule the intake warns with."""
    return looks_blank(image)
