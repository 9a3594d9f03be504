import pytest

pytestmark = pytest.mark.django_db


def test_demo_has_open_and_closed_exchanges_and_is_idempotent(cast):
    from yunting.workflows.asynctrial.demo import asynctrial_demo
    from yunting.workflows.asynctrial.models import Exchange
    from yunting.workflows.asynctrial.selectors import evidence_summary, queue_for, queue_stats

    orgs, users = cast
    assert len(asynctrial_demo(orgs=orgs, users=users)["made"]) == 2
    assert asynctrial_demo(orgs=orgs, users=users)["made"] == []
    open_ex, closed_ex = Exchange.objects.get(state="open"), Exchange.objects.get(state="closed")
    assert closed_ex.report_document_id and open_ex.current_round == 2
    kinds = set(open_ex.thread.items.values_list("kind", flat=True))
    assert kinds == {"evidence", "opinion", "question", "answer", "defence", "guidance", "proposal"}
    rows = evidence_summary(open_ex)
    assert any(r.disputed for r in rows) and any(r.undisputed == ["authenticity", "legality", "relevance"]
                                                 for r in rows) and any(r.pending for r in rows)
    assert open_ex.thread.items.filter(visibility="court").exists()
    assert "＊" in open_ex.thread.items.get(kind="defence").text  # a masked word
    # the assistant's queue counts (bulk) agree with the report's per-item summary
    assert queue_stats([open_ex])[open_ex.pk][0] == sum(len(r.disputed) + r.purpose_disputed for r in rows) > 0
    assert [r.exchange.pk for r in queue_for(users["assistant"])] == [open_ex.pk]
