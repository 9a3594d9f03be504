"""The bounds on the work one upload may cause (issue 9 §2), each a setting (README, "Configuration").

Checked while reading, before anything is inflated in memory; the sandbox (memory, CPU, wall clock) is only the
backstop behind them.
"""

from __future__ import annotations

from django.conf import settings

MB = 1024 * 1024


def pdf_max_inflated_bytes() -> int:
    """All of a PDF's streams decompressed, together (`YUNTING_PDF_MAX_INFLATED_MB`)."""
    return int(getattr(settings, "YUNTING_PDF_MAX_INFLATED_MB", 1024)) * MB


def pdf_max_stream_bytes() -> int:
    """One stream of a PDF decompressed (`YUNTING_PDF_MAX_STREAM_MB`); kept under pypdf's own 75 MB per stream, so
    the page checks can decode whatever passes."""
    return int(getattr(settings, "YUNTING_PDF_MAX_STREAM_MB", 64)) * MB


def pdf_max_ratio() -> int:
    """How many times its own size a PDF's streams may inflate to, together (`YUNTING_PDF_MAX_RATIO`), once past
    RATIO_FLOOR: real documents stay within 10–20 (images barely compress further, text about 5); a deflate bomb
    is near 1000. This stops a bomb of many small streams after a fraction of the absolute limit's work."""
    return int(getattr(settings, "YUNTING_PDF_MAX_RATIO", 100))


RATIO_FLOOR = 32 * MB


def pdf_max_objects() -> int:
    """Objects in a PDF (`YUNTING_PDF_MAX_OBJECTS`): a 500-page text PDF has some tens of thousands."""
    return int(getattr(settings, "YUNTING_PDF_MAX_OBJECTS", 200_000))


def image_max_pixels() -> int:
    """Pixels of one image, uploaded (PNG, JPEG, …) or inside a PDF (`YUNTING_IMAGE_MAX_PIXELS`): 180 million is
    where Pillow's own bomb guard stopped before (twice its 89.5 million warning), so a 108-megapixel phone photo
    or an A3 page scanned at 600 dpi still passes — now refused by name, from the header, before decoding."""
    return int(getattr(settings, "YUNTING_IMAGE_MAX_PIXELS", 180_000_000))


def megapixels(pixels: int) -> str:
    """100_000_000 → "100"; 1_500_000 → "1.5" (for messages)."""
    value = pixels / 1_000_000
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
