"""Content type detection from magic bytes (the `filetype` library), and the upload allow-list."""

import filetype

ALLOWED_MIME_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/webp",
    "video/mp4",
    "video/webm",
    "video/quicktime",
    "audio/mpeg",
    "audio/x-wav",
    "audio/wav",
    "audio/ogg",
    "audio/mp4",
    "audio/webm",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def sniff_mime(head: bytes) -> str:
    """Return the MIME type the first bytes prove, or application/octet-stream."""
    if head.lstrip(b"\r\n\t \x00")[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") != -1:
        return "application/pdf"
    kind = filetype.guess(head)
    return kind.mime if kind else "application/octet-stream"
