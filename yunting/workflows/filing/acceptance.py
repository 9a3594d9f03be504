"""Acceptance (立案): one filing, or many in one click (一键立案) a chunk per transaction with all of a chunk's cases
opened in bulk, and the 受理通知书 each acceptance is followed by, issued in the background."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yunting.core.cases.services import case_open_many, case_validate_input
from yunting.core.journal.services import EntryInput, journal_append
from yunting.kernel.common import rawsql
from yunting.kernel.common.errors import Conflict, PermissionDenied, ValidationFailed

from . import entries
from .case_input import ACCEPT_RELATED, ACCEPT_UNUSED, Related, case_input_of, related_of, with_shared_related
from .choices import FilingStatus, NoticeStatus
from .errors import FilingErrorCode
from .models import Filing, FilingBatch, FilingEvent
from .services import is_reviewer, require_reviewer
from .webhooks import webhook_queue, webhooks_of

log = logging.getLogger(__name__)


@transaction.atomic
def filing_accept(*, filing: Filing, actor, notify: bool = True) -> Any:
    """Register the case: number, parties and participants (case_open journals case.registered), then
    `filing.accepted` carrying the filing's documents into the e-file. The 受理通知书 is rendered and issued by a
    background task afterwards (notice_status pending → done/failed): a slow or failing renderer never undoes
    an acceptance, and the task is retried.
    """
    require_reviewer(actor, filing)
    filing = Filing.objects.select_for_update(of=("self",)).select_related(*ACCEPT_RELATED).get(pk=filing.pk)
    if filing.status != FilingStatus.SUBMITTED:  # fast refusal; the conditional UPDATE is the real guard
        raise Conflict(_("This filing has already been decided; it cannot be accepted twice."),
                       code=str(FilingErrorCode.WRONG_STATUS), data={"status": filing.status})
    (case,) = _accept_many([filing], actor=actor, notice=NoticeStatus.PENDING if notify else NoticeStatus.NONE)
    if notify:
        transaction.on_commit(lambda: _enqueue_notices([filing.pk]))
    return case



def _accept_many(filings: list[Filing], *, actor, notice: str, hooks=None,
                 related: dict[int, Related] | None = None, counters: dict | None = None, numbered=None) -> list:
    """The acceptance itself, for filings loaded with ACCEPT_RELATED (`related` may be read beforehand with
    related_of): cases opened in one go (case_open_many), the filings marked accepted, `filing.accepted`
    journaled for each with its documents, webhooks queued, FilingEvents written. Call inside a transaction,
    with the filings locked (select_for_update); raises Conflict (rolling every case back) if any filing was
    decided meanwhile, ValidationFailed if any filing's data cannot make a case."""
    if not filings:
        return []
    related = related or related_of(filings)

    def accepted_entries(cases) -> list[EntryInput]:  # appended with the cases' `case.registered`, in one go
        return [EntryInput(case=case, kind=entries.ACCEPTED, actor=actor, payload={
            "filing_id": filing.pk, "submitted_at": filing.submitted_at.isoformat() if filing.submitted_at else None,
            "deadline": filing.deadline.isoformat() if filing.deadline else None,
            "claims": filing.claims, "fee": filing.fee.get("fee"), "fee_kind": filing.fee.get("kind"),
            "external_id": filing.external_id or None,
            "institution": filing.institution.name if filing.institution_id else None,
            "events": related[filing.pk].events,
        }, documents=related[filing.pk].documents) for filing, case in zip(filings, cases, strict=True)]

    cases = case_open_many(items=[case_input_of(f, related[f.pk]) for f in filings], actor=actor,
                           entries_after=accepted_entries, counters=counters, numbered=numbered)
    now = timezone.now()
    for filing, case in zip(filings, cases, strict=True):
        filing.status, filing.case, filing.decided_at, filing.reviewer = FilingStatus.ACCEPTED, case, now, actor
        filing.notice_status, filing.updated_at = notice, now
    _mark_accepted(filings)
    if hooks is None and any(f.institution_id for f in filings):
        hooks = webhooks_of(filings[0].court_id)
    for filing in filings:
        webhook_queue(filing, "accepted", hooks=hooks or {})
    rawsql.bulk_insert([
        FilingEvent(filing=f, kind=entries.ACCEPTED, actor=actor,
                    payload={"case_id": c.pk, "case_number": c.number, **({"bulk": True} if len(filings) > 1 else {})})
        for f, c in zip(filings, cases, strict=True)
    ])
    return cases


def _mark_accepted(filings: list[Filing]) -> None:
    """One conditional UPDATE (still submitted → accepted, with its case) for all the filings: `UPDATE … FROM
    (VALUES …)` on PostgreSQL, one executemany on SQLite, on the driver's cursor (Django's bulk_update builds a
    CASE expression per row and costs more than the rest of an acceptance).

    The guard: a second click (or officer) that got this far finds a status changed and raises Conflict, which
    rolls the acceptance back — at once, or under a write-behind when the caller next waits for it."""
    fields = [Filing._meta.get_field(n) for n in ("status", "case", "decided_at", "reviewer", "notice_status",
                                                   "updated_at")]
    prepared: dict = {}  # a chunk's filings share their status, times and reviewer: each value prepared once

    def prep(f, value):
        key = (f.attname, value)
        if key not in prepared:
            prepared[key] = f.get_db_prep_save(value, connection)
        return prepared[key]

    rows = [[filing.pk, filing.status, filing.case_id] + [prep(f, getattr(filing, f.attname)) for f in fields[2:]]
            for filing in filings]
    conflict = Conflict(_("This filing has already been decided; it cannot be accepted twice."),
                        code=str(FilingErrorCode.WRONG_STATUS))
    casts = [f.cast_db_type(connection) for f in fields]

    with rawsql.cursor() as cur:
        def mark() -> None:
            if rawsql.bulk_update(cur, Filing._meta.db_table, "id", [f.column for f in fields], rows,
                                  where="status = 'submitted'", casts=casts) != len(filings):
                raise conflict

        cur.deferred(mark)


def _enqueue_notices(filing_ids: list[int]) -> None:
    from .tasks import filing_notices_issue

    try:
        filing_notices_issue.enqueue(filing_ids=filing_ids)
    except Exception:  # the filings stay notice_status=pending; `filing_notices_retry` picks them up
        log.exception("could not enqueue acceptance notices for %s", filing_ids)


@dataclass
class _Chunk:
    """A chunk of submitted filings as read for acceptance: those whose data can make a case (`good`), with
    what their acceptance needs, and the failures of the others."""

    related: dict[int, Related]
    good: list[Filing]
    failed: list[dict[str, Any]]


def _read_chunk(ids: list[int], shared: dict) -> _Chunk:
    """The chunk's filings still submitted, locked until the chunk's transaction ends, and checked."""
    filings = with_shared_related(list(Filing.objects.select_for_update().extra(**rawsql.where_in(Filing, "id", ids))
                                        .filter(status=FilingStatus.SUBMITTED)
                                        .defer(*ACCEPT_UNUSED).order_by("deadline", "id")), shared)
    related = related_of(filings)
    good, failed = [], []
    for filing in filings:
        try:
            case_validate_input(case_input_of(filing, related[filing.pk]))
        except ValidationFailed as exc:
            failed.append(_failure(filing, exc))
        else:
            good.append(filing)
    return _Chunk(related, good, failed)


def filing_accept_batch(*, actor, court, filing_ids: list[int] | None = None, batch=None,
                        chunk: int = 500) -> dict[str, Any]:
    """一键立案: accept many submitted filings of one court, a chunk per transaction, all of a chunk's cases opened
    in bulk. Filings whose data cannot make a case are reported and skipped; should the bulk write of a chunk
    still fail, the chunk is redone filing by filing, each in its own savepoint, so one bad filing never undoes
    the others. Notices are issued by background tasks, one per chunk.
    Returns {"accepted": n, "failed": [{filing_id, code, message}]}."""
    if not is_reviewer(actor, court.pk):
        raise PermissionDenied(_("Only this court's filing officers can accept filings in bulk."),
                               code=str(FilingErrorCode.NOT_REVIEWER))
    qs = Filing.objects.filter(court=court, status=FilingStatus.SUBMITTED)
    if batch is not None:
        qs = qs.filter(batch=batch)
    if filing_ids is not None:
        qs = qs.filter(pk__in=list(filing_ids))
    ids = list(qs.order_by("deadline", "id").values_list("pk", flat=True))
    hooks = webhooks_of(court.pk)
    shared: dict = {}

    def accept_chunk(part: list[int], turn: _Turn) -> tuple[int, list]:
        with transaction.atomic():
            read = _read_chunk(part, shared)
            failed = list(read.failed)
            counters = turn.wait_numbered()  # case numbers follow the chunks' order
            try:
                with transaction.atomic(), rawsql.write_behind():
                    _accept_many(read.good, actor=actor, notice=NoticeStatus.PENDING, hooks=hooks,
                                 related=read.related, counters=counters, numbered=turn.numbered)
                done = read.good
            except Exception as exc:
                turn.numbered(None)
                if not (isinstance(exc, Conflict) and exc.code == "case_number_moved"):
                    log.exception("bulk acceptance of a chunk failed; accepting its filings one by one")
                turn.wait()  # the chunk before has committed: these numbers come after its own
                done = []
                for filing in read.good:
                    try:
                        with transaction.atomic():  # a savepoint: one failure undoes only its own case
                            _accept_many([filing], actor=actor, notice=NoticeStatus.PENDING, hooks=hooks,
                                         related=read.related)
                    except Exception as exc:  # reported per filing; the rest of the chunk goes on
                        failed.append(_failure(filing, exc))
                    else:
                        done.append(filing)
            if done:
                transaction.on_commit(lambda ids=[f.pk for f in done]: _enqueue_notices(ids))
        return len(done), failed

    outcomes = _in_two_lanes([ids[start:start + chunk] for start in range(0, len(ids), chunk)], accept_chunk)
    return {"accepted": sum(n for n, _ in outcomes), "failed": [f for _, failed in outcomes for f in failed]}


class _Turn:
    """A chunk's place in line. `wait_numbered()` returns once the chunk before has its case numbers, with the
    counters as it leaves them, for this chunk to number on from before it commits (case_number_allocate_many);
    should it have fallen back to one filing at a time, once it has committed, with {} (numbers read from the
    database). `wait()` returns once the chunk before has committed. `numbered()` and `done()` let the chunk
    after go."""

    def __init__(self, before: _Turn | None = None):
        self._before = before
        self._numbered, self._done = threading.Event(), threading.Event()
        self._counters: dict | None = None

    def wait_numbered(self) -> dict | None:
        if self._before is None:
            return {}
        self._before._numbered.wait()
        counters = self._before._counters
        if counters is None:
            self.wait()
            return {}
        return dict(counters)

    def numbered(self, counters: dict | None) -> None:
        if not self._numbered.is_set():
            self._counters = counters
            self._numbered.set()

    def wait(self) -> None:
        if self._before is not None:
            self._before._done.wait()

    def done(self) -> None:
        self.numbered(None)  # a chunk that never got its numbers lets the next number from the database
        self._done.set()


def _in_two_lanes(chunks: list, work) -> list:
    """`work(chunk, turn)` for each chunk, in order, each in its own transaction, where `turn` is its _Turn.

    On PostgreSQL, outside a transaction, two threads with a connection each take the chunks in turn, so chunk
    N+1 is read, locked and checked while chunk N is written and committed: one's waits for the database are
    spent on the other's Python. Elsewhere (SQLite has one writer; a caller's open transaction must see it
    all), one after the other. A chunk that raises stops the chunks not yet started, and is raised after the
    ones under way have finished."""
    if len(chunks) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return [work(part, _Turn()) for part in chunks]
    from django.db import connections
    from django.utils import translation

    turns: list[_Turn] = []
    for _part in chunks:
        turns.append(_Turn(turns[-1] if turns else None))
    results: list = [None] * len(chunks)
    errors: list[BaseException] = []
    language = translation.get_language()

    def lane(first: int) -> None:
        try:
            with translation.override(language):
                for k in range(first, len(chunks), 2):
                    try:
                        if not errors:
                            results[k] = work(chunks[k], turns[k])
                    except BaseException as exc:  # raised by the caller once both lanes have stopped
                        errors.append(exc)
                    finally:
                        turns[k].done()
        finally:
            connections.close_all()  # this thread's own connection

    lanes = [threading.Thread(target=lane, args=(first,), name=f"accept-lane-{first}") for first in (0, 1)]
    for t in lanes:
        t.start()
    for t in lanes:
        t.join()
    if errors:
        raise errors[0]
    return results


@transaction.atomic
def filing_batch_accept_request(*, actor, batch: FilingBatch) -> FilingBatch:
    """一键立案 of an institution's batch from the review page: recorded on the batch and run by a background
    task (filing_batch_accept_run), whose progress the page shows. Asking again while it runs changes nothing."""
    from .choices import BatchStatus

    if not is_reviewer(actor, batch.court_id):
        raise PermissionDenied(_("Only this court's filing officers can accept filings in bulk."),
                               code=str(FilingErrorCode.NOT_REVIEWER))
    batch = FilingBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DONE:
        raise Conflict(_("The batch is still being checked; accept it once it is done."),
                       code=str(FilingErrorCode.WRONG_STATUS), data={"status": batch.status})
    if batch.accept_requested_at and not batch.accept_finished_at:
        return batch
    batch.accept_requested_at, batch.accept_requested_by = timezone.now(), actor
    batch.accept_finished_at, batch.accept_failures = None, []
    batch.save(update_fields=["accept_requested_at", "accept_requested_by", "accept_finished_at", "accept_failures"])
    transaction.on_commit(lambda: _enqueue_batch_accept(batch.pk))
    return batch


def _enqueue_batch_accept(batch_id: int) -> None:
    from .tasks import filing_batch_accept

    try:
        filing_batch_accept.enqueue(batch_id=batch_id)
    except Exception:  # recorded on the batch; filing_batch_accepts_resume starts it again
        log.exception("could not enqueue the bulk acceptance of batch %s", batch_id)


def filing_batch_accept_run(*, batch_id: int) -> dict[str, Any]:
    """The background half of 一键立案: accept what is still submitted in the batch, record the outcome."""
    batch = FilingBatch.objects.select_related("court", "accept_requested_by").get(pk=batch_id)
    if batch.accept_requested_at is None or batch.accept_finished_at is not None:
        return {"accepted": 0, "failed": []}
    result = filing_accept_batch(actor=batch.accept_requested_by, court=batch.court, batch=batch)
    FilingBatch.objects.filter(pk=batch.pk).update(accept_finished_at=timezone.now(),
                                                   accept_failures=result["failed"][:1000])
    return result


def filing_batch_accepts_resume(*, stale_after: timedelta = timedelta(minutes=10)) -> int:
    """Periodic: bulk acceptances asked for but not finished long after (a lost task, a crashed worker) are run
    again; acceptance only ever takes filings still submitted, so nothing is accepted twice."""
    ids = list(FilingBatch.objects.filter(accept_requested_at__lt=timezone.now() - stale_after,
                                          accept_finished_at__isnull=True).values_list("pk", flat=True))
    for batch_id in ids:
        _enqueue_batch_accept(batch_id)
    return len(ids)


def _failure(filing: Filing, exc: Exception) -> dict[str, Any]:
    return {"filing_id": filing.pk, "code": getattr(exc, "code", "error"),
            "message": str(getattr(exc, "message", exc))}


# --- the acceptance notice (background) ------------------------------------------------------------------------
NOTICE_MAX_ATTEMPTS = 5
NOTICE_STUCK_AFTER = timedelta(minutes=5)


def filing_notice_issue(*, filing_id: int) -> str:
    """Render and issue the 受理通知书 (with the fee) into the case's e-file, exactly once. Returns the status.

    The filing row is locked for the whole issue (SQLite's IMMEDIATE transaction serialises it anyway), so a
    retry racing the first task finds the notice done and stops."""
    from yunting.core.papers.services import paper_draft, paper_issue

    try:
        with transaction.atomic():
            filing = Filing.objects.select_for_update(of=("self",)).select_related("case", "reviewer").get(
                pk=filing_id)
            if filing.notice_status in (NoticeStatus.DONE, NoticeStatus.NONE) or filing.case is None:
                return filing.notice_status
            values = {"fee": filing.fee.get("fee") or "0.00"}
            if not filing.case.participations.filter(role__in=["judge", "presiding_judge"]).exists():
                values["judge_name"] = "（另行指定）"  # assigned by rule on acceptance: the notice names the judge
            paper = paper_draft(case=filing.case, template_code="acceptance_notice", actor=filing.reviewer,
                                values=values)
            paper_issue(paper=paper, actor=filing.reviewer)
            journal_append(case=filing.case, kind=entries.NOTICE_ISSUED, actor=filing.reviewer,
                           payload={"filing_id": filing.pk, "paper_id": paper.pk, "fee": values["fee"]})
            Filing.objects.filter(pk=filing.pk).update(notice_status=NoticeStatus.DONE, notice_error="")
    except Exception as exc:
        log.exception("acceptance notice for filing %s failed", filing_id)
        message = str(getattr(exc, "message", "") or f"{exc.__class__.__name__}: {exc}")[:2000]
        Filing.objects.filter(pk=filing_id).update(notice_status=NoticeStatus.FAILED, notice_error=message,
                                                   notice_attempts=F("notice_attempts") + 1)
        return NoticeStatus.FAILED
    return NoticeStatus.DONE


def filing_notices_retry() -> int:
    """The periodic job `filing.notices`: re-enqueue notices that failed (fewer than NOTICE_MAX_ATTEMPTS times)
    or are still pending long after their acceptance (a lost task, a crashed worker). Returns how many."""
    stuck = timezone.now() - NOTICE_STUCK_AFTER
    ids = list(Filing.objects.filter(
        Q(notice_status=NoticeStatus.FAILED, notice_attempts__lt=NOTICE_MAX_ATTEMPTS)
        | Q(notice_status=NoticeStatus.PENDING, decided_at__lt=stuck)).order_by("id").values_list("pk", flat=True))
    for start in range(0, len(ids), 100):
        _enqueue_notices(ids[start:start + 100])
    return len(ids)
