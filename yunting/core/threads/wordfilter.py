"""The sensitive-word filter: Aho–Corasick (pyahocorasick) over the shipped default list and a court's own list.

Matching ignores whitespace and common separators put between characters ("傻 逼", "傻-逼") and ASCII case.
`block` words refuse the text; `mask` words are replaced by ＊ in the stored text, with a note to the author.
Pure: no ORM here (services.py builds a filter per court and caches it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick

BLOCK, MASK, ALLOW = "block", "mask", "allow"
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "sensitive_words.txt"
SKIPPED = frozenset(" \t\r\n\u3000·.-_*~|/\\,，。、'\"“”‘’")
MASK_CHAR = "＊"


@lru_cache(maxsize=1)
def default_rules() -> dict[str, str]:
    rules: dict[str, str] = {}
    for line in DEFAULT_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, action = line.partition("\t")
        rules[word.strip()] = (action.strip() or BLOCK)
    return rules


def normalise(text: str) -> tuple[str, list[int]]:
    """(text without separators, lowercased; index in the original of each kept character)."""
    kept, where = [], []
    for i, ch in enumerate(text):
        if ch in SKIPPED:
            continue
        kept.append(ch.lower())
        where.append(i)
    return "".join(kept), where


@dataclass
class Scan:
    text: str  # with masked words replaced
    blocked: list[str] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)


class WordFilter:
    def __init__(self, rules: dict[str, str]):
        self._automaton = ahocorasick.Automaton()
        count = 0
        for word, action in rules.items():
            key, _ = normalise(word)
            if key and action in (BLOCK, MASK):
                self._automaton.add_word(key, (len(key), action, word))
                count += 1
        self.size = count
        if count:
            self._automaton.make_automaton()

    def scan(self, text: str) -> Scan:
        if not self.size or not text:
            return Scan(text=text or "")
        plain, where = normalise(text)
        found = [(end - length + 1, end, action, word) for end, (length, action, word) in self._automaton.iter(plain)]
        # a word inside a longer match (妈的 in 他妈的) is that match, not a second finding
        found = [f for f in found if not any(o is not f and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0]
                                             for o in found)]
        blocked, masked, spans = [], [], []
        for start, end, action, word in found:
            if action == BLOCK:
                if word not in blocked:
                    blocked.append(word)
            else:
                if word not in masked:
                    masked.append(word)
                spans.append((where[start], where[end]))
        out = list(text)
        for start, stop in spans:
            for i in range(start, stop + 1):
                if text[i] not in SKIPPED:
                    out[i] = MASK_CHAR
        return Scan(text="".join(out), blocked=blocked, masked=masked)


def effective_rules(court_rules: list[tuple[str, str]]) -> dict[str, str]:
    """The default list with a court's entries on top (`allow` removes a default word)."""
    rules = dict(default_rules())
    for word, action in court_rules:
        if action == ALLOW:
            rules.pop(word, None)
        else:
            rules[word] = action
    return rules
