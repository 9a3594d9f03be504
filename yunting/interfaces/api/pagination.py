"""`?page=&page_size=` for every list: 20 by default, at most 100."""

from __future__ import annotations

from ninja import Query

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100



def page_param():
    return Query(1, ge=1, description="1-based page number.")


def page_size_param():
    return Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 100).")


def paginate(qs, *, page: int, page_size: int) -> dict:
    """{"items", "count", "page", "page_size"}; a page past the end is empty, not an error.

    The offset is never sent to the database when it lies past the end: a page like 922337203685477580 would
    overflow the database's 64-bit OFFSET (a 500) although the answer is simply an empty page."""
    count = qs.count()
    start = (page - 1) * page_size
    items = list(qs[start : start + page_size]) if start < count else []
    return {"items": items, "count": count, "page": page, "page_size": page_size}
