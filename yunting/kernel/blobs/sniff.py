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
    """Return the MIME type the first bytes prove, or application/octet-stream.

    A file that starts as a PDF is a PDF. One whose first bytes prove another format (a ZIP whose first member is
    a PDF has `%PDF-` in its first kilobyte) is that format, never a PDF. Only bytes that are nothing known and
    have `%PDF-` within the first kilobyte (where readers look for it) are taken as a PDF; the PDF check then
    refuses whatever stands before the header if it is another format (a polyglot)."""
    if head.lstrip(b"\r\n\t \x00")[:5] == b"%PDF-":
        return "application/pdf"
    kind = filetype.guess(head)
    if kind:
        return kind.mime
    return "application/pdf" if head[:1024].find(b"%PDF-") != -1 else "application/octet-stream"
