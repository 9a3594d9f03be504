"""Reading an untrusted ZIP (an institution's batch) with bounded work.

Limits on the member count, the total and per-member unpacked size and the compression ratio are checked
against the central directory first (cheap refusals), and then again while each member is inflated, chunk by
chunk, counting the bytes that actually come out — the sizes a ZIP declares may lie — so no member is ever
inflated past a limit, nor read whole into memory unless it is known to be small. Lines of a JSON-lines member
are read one at a time, each bounded. Every refusal names the limit (`ZipLimitExceeded.code`, `.data`).

zipfile itself stops a member at its declared size (a lying member ends in a CRC error); the running counts here
make the limits hold whatever zipfile does, and give the person a message that says which limit was hit.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from yunting.kernel.common.errors import ValidationFailed

MB = 1024 * 1024
CHUNK = 256 * 1024
RATIO_FLOOR = MB  # a member inflating to less than this is never refused for its ratio (tiny files compress well)


@dataclass(frozen=True)
class ZipLimits:
    members: int
    total_bytes: int
    member_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls) -> ZipLimits:
        return cls(members=int(getattr(settings, "YUNTING_BATCH_ZIP_MAX_MEMBERS", 200_000)),
                   total_bytes=int(getattr(settings, "YUNTING_BATCH_ZIP_MAX_TOTAL_MB", 4096)) * MB,
                   member_bytes=int(getattr(settings, "YUNTING_BATCH_ZIP_MAX_MEMBER_MB", 100)) * MB,
                   ratio=int(getattr(settings, "YUNTING_BATCH_ZIP_MAX_RATIO", 100)))


class ZipLimitExceeded(ValidationFailed):
    """A limit of the ZIP was reached; `code` is zip_members, zip_total_size, zip_member_size, zip_ratio,
    zip_damaged or line_too_long."""


def _mb(n: int) -> str:
    return f"{n / MB:.0f}"


def members_error(count: int, limit: int) -> ZipLimitExceeded:
    return ZipLimitExceeded(_("The ZIP holds %(count)d files; at most %(max)d are allowed (YUNTING_BATCH_ZIP_MAX_MEMBERS).")
                            % {"count": count, "max": limit}, code="zip_members", data={"count": count, "max": limit})


def total_error(limit: int) -> ZipLimitExceeded:
    return ZipLimitExceeded(_("Unpacked, the ZIP would exceed %(max)s MB (YUNTING_BATCH_ZIP_MAX_TOTAL_MB).")
                            % {"max": _mb(limit)}, code="zip_total_size", data={"max_bytes": limit})


def member_error(name: str, limit: int) -> ZipLimitExceeded:
    return ZipLimitExceeded(_("“%(name)s” exceeds %(max)s MB once unpacked (YUNTING_BATCH_ZIP_MAX_MEMBER_MB).")
                            % {"name": name, "max": _mb(limit)}, code="zip_member_size",
                            data={"name": name, "max_bytes": limit})


def ratio_error(name: str, limit: int) -> ZipLimitExceeded:
    return ZipLimitExceeded(_("“%(name)s” is compressed more than %(max)d to 1, as decompression bombs are "
                              "(YUNTING_BATCH_ZIP_MAX_RATIO).") % {"name": name, "max": limit},
                            code="zip_ratio", data={"name": name, "max_ratio": limit})


def damaged_error(name: str = "") -> ZipLimitExceeded:
    message = _("The ZIP file is damaged.") if not name else _("“%(name)s” in the ZIP is damaged.") % {"name": name}
    return ZipLimitExceeded(message, code="zip_damaged", data={"name": name})


class _Member(io.RawIOBase):
    """A member being inflated, counting what comes out against the limits."""

    def __init__(self, archive: SafeZip, info: zipfile.ZipInfo, limit: int):
        self._archive, self._info, self._limit = archive, info, limit
        try:
            self._raw = archive.zf.open(info)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):  # encrypted, damaged
            raise damaged_error(info.filename) from None
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._raw.read(min(len(buffer), CHUNK))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, zlib.error):
            raise damaged_error(self._info.filename) from None
        n = len(data)
        self.read_bytes += n
        self._archive.inflated += n
        if self.read_bytes > self._limit:
            raise member_error(self._info.filename, self._limit)
        if self.read_bytes > RATIO_FLOOR and self.read_bytes > self._archive.limits.ratio * max(self._info.compress_size, 1):
            raise ratio_error(self._info.filename, self._archive.limits.ratio)
        if self._archive.inflated > self._archive.limits.total_bytes:
            raise total_error(self._archive.limits.total_bytes)
        buffer[:n] = data
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


class SafeZip:
    """An untrusted ZIP opened with its directory-level limits checked; members read through `open`,
    `read_small` and `lines`, which enforce the rest while inflating."""

    def __init__(self, fileobj: BinaryIO, limits: ZipLimits | None = None):
        self.limits = limits or ZipLimits.from_settings()
        try:
            self.zf = zipfile.ZipFile(fileobj)
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise damaged_error() from None
        if len(infos) > self.limits.members:
            raise members_error(len(infos), self.limits.members)
        if sum(i.file_size for i in infos) > self.limits.total_bytes:  # a declared bomb is refused before reading
            raise total_error(self.limits.total_bytes)
        self.inflated = 0

    def namelist(self) -> list[str]:
        return self.zf.namelist()

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        return self.zf.getinfo(name)

    def check_declared(self, info: zipfile.ZipInfo, limit: int | None = None) -> None:
        """Refuse a member on what it declares, before inflating anything."""
        limit = self.limits.member_bytes if limit is None else limit
        if info.file_size > limit:
            raise member_error(info.filename, limit)
        if info.file_size > RATIO_FLOOR and info.file_size > self.limits.ratio * max(info.compress_size, 1):
            raise ratio_error(info.filename, self.limits.ratio)

    def open(self, info: zipfile.ZipInfo, *, limit: int | None = None) -> BinaryIO:
        """A stream of the member's bytes, refused (ZipLimitExceeded) as soon as a limit is passed."""
        limit = self.limits.member_bytes if limit is None else limit
        self.check_declared(info, limit)
        return io.BufferedReader(_Member(self, info, limit), buffer_size=CHUNK)

    def read_small(self, info: zipfile.ZipInfo, *, limit: int | None = None) -> bytes:
        """The whole member, for members known to be small; still bounded while inflating."""
        with self.open(info, limit=limit) as fh:
            return fh.read()

    def lines(self, info: zipfile.ZipInfo, *, max_line: int, limit: int | None = None) -> Iterator[bytes | ZipLimitExceeded]:
        """The member's lines, one at a time; a line longer than `max_line` comes as a ZipLimitExceeded in its place
        (the rest of it skipped), so one bad line fails alone."""
        with self.open(info, limit=limit) as fh:
            yield from bounded_lines(fh, max_line=max_line)


def bounded_lines(stream: BinaryIO, *, max_line: int) -> Iterator[bytes | ZipLimitExceeded]:
    """Lines of a stream, none read past `max_line` bytes; an overlong line yields an error in its place."""
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        if len(line) > max_line and not line.endswith(b"\n"):
            while True:  # skip the rest of the overlong line, bounded chunk by chunk
                rest = stream.readline(CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield line_error(max_line)
            continue
        yield line


def line_error(max_line: int) -> ZipLimitExceeded:
    return ZipLimitExceeded(_("The line is longer than %(max)d KB (YUNTING_BATCH_MAX_LINE_KB).")
                            % {"max": max_line // 1024}, code="line_too_long", data={"max_bytes": max_line})
