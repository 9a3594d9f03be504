"""A phone photo of a sheet of paper → a straight, cropped PDF page.

1. Turn the picture the way the camera's EXIF orientation says.
2. Find the sheet: the largest convex quadrilateral among edge contours (Canny) and bright regions (Otsu),
   on a copy scaled to 1000 px. Without one, keep the whole picture and straighten its text lines (deskew).
3. Warp the sheet to a top-down rectangle with the sheet's proportions; A4 when they are close to √2.
4. Even out the lighting (divide by the paper's own brightness), which whitens shadows and keeps red seals red.
5. One PDF page per photo, sized to the paper, the picture embedded as a JPEG.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter

from yunting.kernel.common.errors import ValidationFailed

A4_MM = (210.0, 297.0)
MM_PER_INCH = 25.4
SQRT2 = math.sqrt(2)
A4_TOLERANCE = 0.12  # foreshortening makes a photographed A4 sheet look 10 % longer or shorter
DETECT_SIDE = 1000
MIN_PAPER_SHARE = 0.15  # of the picture's area
MAX_DPI = 300
OTHER_PAPER_DPI = 200
JPEG_QUALITY = 85
DESKEW_RANGE = 15.0  # degrees either way
ORIENTATION = 0x0112

Point = tuple[float, float]


@dataclass
class PhotoPage:
    """What was done to one photo."""

    orientation: int  # EXIF orientation found (1 = none)
    rotated: bool  # turned by that orientation
    paper_found: bool  # a sheet outline was found and cropped to
    corners: list[Point] | None  # that outline in the upright photo's pixels: top-left, top-right, bottom-right, bottom-left
    deskew_degrees: float  # rotation applied when no outline was found
    paper: str | None  # "A4", "A4 landscape" or None (page sized to the photo's own proportions)
    width_px: int
    height_px: int
    dpi: float
    page_size_pt: tuple[float, float]
    image: Image.Image = field(repr=False)  # the straightened picture, as put into the PDF


@dataclass
class PhotoResult:
    pdf: bytes
    pages: list[PhotoPage]


def photo_to_pdf(data: bytes, *, enhance: bool = True) -> PhotoResult:
    """One photo of a paper page → a one-page PDF."""
    return photos_to_pdf([data], enhance=enhance)


def photos_to_pdf(photos: Sequence[bytes], *, enhance: bool = True) -> PhotoResult:
    """Photos of the pages of one paper document, in order → one PDF with a page per photo."""
    if not photos:
        raise ValidationFailed(_("No photos were given."), code="photo_none")
    pages = [straighten(data, enhance=enhance, number=i) for i, data in enumerate(photos, start=1)]
    writer = PdfWriter()
    for page in pages:
        buf = io.BytesIO()
        page.image.save(buf, "PDF", resolution=page.dpi, quality=JPEG_QUALITY)
        writer.append(PdfReader(buf))
    out = io.BytesIO()
    writer.write(out)
    return PhotoResult(pdf=out.getvalue(), pages=pages)


def straighten(data: bytes, *, enhance: bool = True, number: int = 1) -> PhotoPage:
    """Everything but the PDF: the upright, cropped, flattened picture of the sheet and what was done."""
    picture, orientation = _open(data, number)
    rgb = np.asarray(picture)
    quad = find_paper(rgb)
    deskew = 0.0
    if quad is not None:
        out = _warp(rgb, quad)
    else:
        deskew = _skew_angle(rgb)
        out = _rotate(rgb, deskew) if abs(deskew) >= 0.3 else rgb
    if enhance:
        out = _even_lighting(out)
    height, width = out.shape[:2]
    paper, dpi, (width, height) = _paper_size(width, height)
    image = Image.fromarray(out)
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    return PhotoPage(
        orientation=orientation,
        rotated=orientation not in (1, None),
        paper_found=quad is not None,
        corners=[(float(x), float(y)) for x, y in quad] if quad is not None else None,
        deskew_degrees=round(deskew, 2),
        paper=paper,
        width_px=width,
        height_px=height,
        dpi=round(dpi, 2),
        page_size_pt=(round(width * 72 / dpi, 2), round(height * 72 / dpi, 2)),
        image=image,
    )


def _open(data: bytes, number: int) -> tuple[Image.Image, int]:
    try:
        image = Image.open(io.BytesIO(data))
        orientation = int(image.getexif().get(ORIENTATION, 1) or 1)
        image = ImageOps.exif_transpose(image)
        return image.convert("RGB"), orientation
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(
            _("Photo %(number)s cannot be opened as an image.") % {"number": number},
            code="photo_unreadable", data={"photo": number},
        ) from exc


# --- finding the sheet -------------------------------------------------------------------------------------


def find_paper(rgb: np.ndarray) -> np.ndarray | None:
    """Corners (4×2 float, TL TR BR BL, full-size pixels) of the largest plausible sheet, or None."""
    height, width = rgb.shape[:2]
    scale = DETECT_SIDE / max(height, width)
    small = cv2.resize(rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    area = gray.shape[0] * gray.shape[1]

    masks = []
    median = float(np.median(gray))
    edges = cv2.Canny(gray, max(10.0, 0.5 * median), min(255.0, 1.2 * median + 40))
    masks.append(cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2))
    _t, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8)))

    best, best_area = None, 0.0
    for mask in masks:
        contours, _h = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:8]:
            quad = _quadrilateral(cv2.convexHull(contour))
            if quad is None:
                continue
            quad_area = cv2.contourArea(quad.astype(np.float32))
            if MIN_PAPER_SHARE * area <= quad_area <= 0.98 * area and quad_area > best_area:
                if _touches_border(quad, gray.shape) and quad_area > 0.9 * area:
                    continue  # the picture's own frame
                best, best_area = quad, quad_area
    if best is None:
        return None
    corners = _order(best.reshape(4, 2).astype(np.float64) / scale)
    return _refine(rgb, corners)


def _quadrilateral(hull: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx) and _angles_ok(approx.reshape(4, 2)):
            return approx.reshape(4, 2)
    return None


def _angles_ok(points: np.ndarray) -> bool:
    for i in range(4):
        a, b, c = points[i - 1], points[i], points[(i + 1) % 4]
        v1, v2 = a - b, c - b
        norm = np.linalg.norm(v1) * np.linalg.norm(v2)
        if norm == 0:
            return False
        angle = math.degrees(math.acos(max(-1.0, min(1.0, float(np.dot(v1, v2) / norm)))))
        if not 45 <= angle <= 135:
            return False
    return True


def _touches_border(quad: np.ndarray, shape: tuple[int, ...]) -> bool:
    h, w = shape[:2]
    return bool(np.all((quad[:, 0] <= 3) | (quad[:, 0] >= w - 4) | (quad[:, 1] <= 3) | (quad[:, 1] >= h - 4)))


def _order(points: np.ndarray) -> np.ndarray:
    """Clockwise from the top-left (smallest x + y)."""
    center = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - center[1], points[:, 0] - center[0])
    points = points[np.argsort(angles)]
    start = int(np.argmin(points.sum(axis=1)))
    return np.roll(points, -start, axis=0)


def _refine(rgb: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """Sharpen the outline at full size: along each side, find the strongest brightness step across it
    near the rough line, fit a straight line to those points, and take the crossings of the four lines."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    reach = max(6, round(0.01 * max(gray.shape)))
    offsets = np.arange(-reach, reach + 1, dtype=np.float32)
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 4 * reach:
            return corners
        direction = (b - a) / length
        normal = np.array([-direction[1], direction[0]])
        ts = np.linspace(0.1, 0.9, 60)  # keep away from the corners themselves
        base = a[None, :] + ts[:, None] * (b - a)[None, :]
        xs = (base[:, 0:1] + offsets[None, :] * normal[0]).astype(np.float32)
        ys = (base[:, 1:2] + offsets[None, :] * normal[1]).astype(np.float32)
        profile = cv2.remap(gray, xs, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        step = np.abs(np.diff(cv2.GaussianBlur(profile, (1, 5), 0), axis=1))
        best = step.argmax(axis=1)
        strong = step[np.arange(len(ts)), best] > 8
        if strong.sum() < 10:
            return corners
        shift = offsets[best] + 0.5
        points = (base + shift[:, None] * normal[None, :])[strong].astype(np.float32)
        vx, vy, x0, y0 = cv2.fitLine(points, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)))
    refined = np.empty_like(corners)
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]  # the sides ending and starting at corner i
        denom = d1[0] * d2[1] - d1[1] * d2[0]
        if abs(denom) < 1e-6:
            return corners
        t = ((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / denom
        refined[i] = p1 + t * d1
    if np.max(np.linalg.norm(refined - corners, axis=1)) > 3 * reach:
        return corners
    return refined


def _warp(rgb: np.ndarray, corners: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    ratio = height / width
    if abs(ratio / SQRT2 - 1) <= A4_TOLERANCE:
        height = max(height, width * SQRT2)
        width = height / SQRT2
    elif abs(ratio * SQRT2 - 1) <= A4_TOLERANCE:
        width = max(width, height * SQRT2)
        height = width / SQRT2
    width, height = round(width), round(height)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(rgb, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


# --- no sheet found: straighten the text lines -------------------------------------------------------------


def _skew_angle(rgb: np.ndarray) -> float:
    """Angle (degrees, counter-clockwise positive) that makes dark text rows horizontal: the rotation whose
    row-wise ink profile is the most peaked."""
    height, width = rgb.shape[:2]
    scale = 800 / max(height, width)
    gray = cv2.cvtColor(cv2.resize(rgb, (round(width * scale), round(height * scale)),
                                   interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    if cv2.countNonZero(ink) < 0.002 * ink.size:
        return 0.0
    h, w = ink.shape
    center = (w / 2, h / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(center, angle, 1.0)
        profile = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        return float(np.var(np.diff(profile)))

    coarse = max(np.arange(-DESKEW_RANGE, DESKEW_RANGE + 0.01, 1.0), key=score)
    fine = max(np.arange(coarse - 1, coarse + 1.01, 0.1), key=score)
    return float(fine)


def _rotate(rgb: np.ndarray, angle: float) -> np.ndarray:
    height, width = rgb.shape[:2]
    m = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    new_w, new_h = round(height * sin + width * cos), round(height * cos + width * sin)
    m[0, 2] += new_w / 2 - width / 2
    m[1, 2] += new_h / 2 - height / 2
    paper = tuple(float(v) for v in np.median(rgb[::8, ::8].reshape(-1, 3), axis=0))  # fill the new corners
    return cv2.warpAffine(rgb, m, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=paper)


# --- cleanup and size --------------------------------------------------------------------------------------


def _even_lighting(rgb: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness (text removed by a max filter, then smoothed): shadows and the
    camera's vignette go, the paper turns white, ink and red seals keep their colour."""
    height, width = rgb.shape[:2]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    scale = 400 / max(height, width)
    small = cv2.resize(gray, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((7, 7), np.uint8))
    paper = cv2.medianBlur(paper, 21)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    paper = np.maximum(paper, 0.6 * float(np.median(paper)), dtype=np.float32)
    paper = np.maximum(paper, 1.0)
    out = rgb.astype(np.float32) * (245.0 / paper)[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _paper_size(width: int, height: int) -> tuple[str | None, float, tuple[int, int]]:
    """(paper name, dpi, pixel size): A4 when the proportions say so, at the photo's own resolution up to
    300 dpi; other sheets at 200 dpi, or more when that would make the page longer than A4."""
    long_px, short_px = max(width, height), min(width, height)
    ratio = long_px / max(short_px, 1)
    if abs(ratio / SQRT2 - 1) <= 0.01:
        paper = "A4" if height >= width else "A4 landscape"
        dpi = long_px / (A4_MM[1] / MM_PER_INCH)
    else:
        paper = None
        dpi = max(OTHER_PAPER_DPI, long_px / (A4_MM[1] / MM_PER_INCH))
    if dpi > MAX_DPI:
        factor = MAX_DPI / dpi
        width, height, dpi = round(width * factor), round(height * factor), MAX_DPI
    return paper, dpi, (width, height)
