"""Tokenisation for Chinese full-text search.

SQLite FTS5's trigram tokenizer cannot match two-character words (借款, 租赁), which are most Chinese words.
Instead every run of Han characters is indexed as overlapping character bigrams (the CJK approach of Lucene's
CJKAnalyzer) and every run of letters/digits as one lower-cased word. A query is tokenised the same way and
searched as a *phrase*, so "借款合同" must appear as those four adjacent characters: recall is exact for any
substring of two or more Han characters, with no dictionary to go stale (jieba's segmentation of a query and of
a document can differ, which silently loses hits).
"""

from __future__ import annotations

import re

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN_RE = re.compile(rf"[{HAN}]+|[0-9A-Za-z]+")
HAN_RE = re.compile(rf"^[{HAN}]+$")
MAX_TEXT = 200_000


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for run in RUN_RE.findall((text or "")[:MAX_TEXT]):
        if HAN_RE.match(run):
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run.lower())
    return tokens


def query_phrases(query: str) -> list[list[str]]:
    """Each whitespace-separated part of a query is one phrase; all phrases must match."""
    return [t for part in (query or "").split() if (t := tokenize(part))]
