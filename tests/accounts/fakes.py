"""Fake SMS gateways for tests: they keep what they were given (`sent`), or fail like an unreachable gateway."""

from __future__ import annotations

import re

CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


class RecordingSmsSender:
    sent: list[tuple[str, str]] = []
    down = False

    def send(self, phone: str, text: str) -> str:
        if type(self).down:
            raise ConnectionError("gateway unreachable")
        type(self).sent.append((phone, text))
        return f"rec-{len(type(self).sent)}"


def code_in(text: str) -> str:
    return CODE_RE.search(text).group(1)
