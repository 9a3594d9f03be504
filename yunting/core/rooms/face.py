"""Face match at room entry (OLR art 7: identity re-verified before the activity). An outside system: one narrow
interface, a real implementation supplied by the court's identity provider, and a named fake for tests and the
demo. Chosen by settings.ROOMS_FACE_MATCH (dotted path; "" = face match not required, the one-time code alone)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class FaceMatchResult:
    matched: bool
    score: float
    reference: str = ""  # the provider's transaction id, kept for the record


class FaceMatcher:
    """Compare a live photo with the identity photo on file for an ID number (or an account)."""

    def match(self, *, real_name: str, id_number: str, image: bytes) -> FaceMatchResult:  # pragma: no cover
        raise NotImplementedError


class FakeFaceMatcher(FaceMatcher):
    """FAKE: matches any non-empty image except one that starts with b"MISMATCH"; records every call in `calls`."""

    calls: list[dict] = []

    def match(self, *, real_name: str, id_number: str, image: bytes) -> FaceMatchResult:
        FakeFaceMatcher.calls.append({"real_name": real_name, "id_number": id_number, "size": len(image or b"")})
        ok = bool(image) and not image.startswith(b"MISMATCH")
        return FaceMatchResult(matched=ok, score=0.97 if ok else 0.12, reference=f"fake-{len(self.calls)}")


@cache
def _load(path: str) -> FaceMatcher | None:
    return import_string(path)() if path else None


def face_matcher() -> FaceMatcher | None:
    return _load(getattr(settings, "ROOMS_FACE_MATCH", ""))
