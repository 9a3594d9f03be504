"""The application flow: the verdict shown to the judge, decisions (an override needs a reason), the objection
period, objections decided, the notice issued, sealed and served; each refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import ApplicationError
from yunting.workflows.witnesses import services
from yunting.workflows.witnesses.models import WitnessApplication

pytestmark = pytest.mark.django_db


def kinds(case):
    return list(JournalEntry.objects.filter(case=case, kind__startswith="witnesses.").values_list("kind", flat=True))


def test_party_applies_and_the_verdict_is_kept_for_the_judge(apply, room_case):
    app = apply()
    assert app.status == "submitted" and app.side == "plaintiff"
    assert app.verdict["online_allowed"] is True and app.verdict["reasons"][0].startswith("符合证人在线作证条件")
    assert app.facts_input["procedure"] == "ordinary" and app.facts_input["online_witnesses_for_side"] == 1
    entry = JournalEntry.objects.get(case=room_case, kind="witnesses.applied")
    assert entry.payload["verdict"] == app.verdict and entry.payload["application_id"] == app.pk


@pytest.mark.parametrize("field, value", [
    ("witness_id_number", "110105198001011230"),  # wrong check character
    ("witness_id_number", "11010519800101"),
    ("witness_phone", "12345"),
    ("witness_name", "  "),
    ("ground", "boredom"),
    ("facts", ""),
])
def test_bad_application_is_refused_naming_the_field_and_changes_nothing(apply, room_case, field, value):
    with pytest.raises(ApplicationError) as info:
        apply(**{field: value})
    assert info.value.data["field"] == field
    assert not WitnessApplication.objects.exists() and kinds(room_case) == []


def test_only_a_party_may_apply(apply, users):
    with pytest.raises(ApplicationError) as info:
        apply(user=users["clerk"])
    assert info.value.code == "witness_not_party"


def test_the_fourth_witness_for_one_side_is_refused_by_the_verdict_and_several_need_a_designated_place(apply):
    first = apply()
    assert first.designated_place_required is False
    second = apply(witness_name="赵二")
    assert second.designated_place_required is True  # several witnesses online
    apply(witness_name="孙三")
    fourth = apply(witness_name="李四")
    assert fourth.verdict["online_allowed"] is False
    assert "本方含本次申请共4名" in fourth.verdict["reasons"][0]


def test_judge_override_needs_a_reason(apply, users, room_case, access_for):
    app = apply(witness_name="李四")
    app.verdict = {"online_allowed": False, "designated_place_required": False, "reasons": ["x"]}
    app.save()
    judge = access_for(users["judge"], room_case)
    with pytest.raises(ApplicationError) as info:
        services.witness_decide(access=judge, actor=users["judge"], application=app, approve=True)
    assert info.value.code == "witness_reason_required"
    app.refresh_from_db()
    assert app.status == "submitted"
    app = services.witness_decide(access=judge, actor=users["judge"], application=app, approve=True,
                                  reason="证人身患重病，确需在线作证")
    assert app.overrides_verdict is True and app.status == "objection_period"
    entry = JournalEntry.objects.get(case=room_case, kind="witnesses.decided")
    assert entry.payload["overrides_verdict"] is True and entry.payload["reason"] == "证人身患重病，确需在线作证"


def test_only_the_judge_decides(apply, users, room_case, access_for):
    app = apply()
    for who in ("clerk", "plaintiff", "defendant"):
        with pytest.raises(ApplicationError) as info:
            services.witness_decide(access=access_for(users[who], room_case), actor=users[who], application=app,
                                    approve=True)
        assert info.value.code == "witness_not_judge"
    app.refresh_from_db()
    assert app.status == "submitted" and "witnesses.decided" not in kinds(room_case)


def _approve(app, users, room_case, access_for):
    return services.witness_decide(access=access_for(users["judge"], room_case), actor=users["judge"],
                                   application=app, approve=True)


def test_objection_period_other_side_objects_and_upheld_means_in_person(apply, users, room_case, access_for):
    from yunting.core.threads.models import Notice
    from yunting.kernel.notify.models import OutboxMessage

    app = _approve(apply(), users, room_case, access_for)
    deadline = app.objection_deadline
    # the other side is told of its objection period (in-app and SMS); the applicant's side is not
    told = Notice.objects.get(user=users["defendant"], key__startswith="witness:objection_period")
    assert "如有异议" in told.text and str(app.pk) in told.key
    assert not Notice.objects.filter(user=users["plaintiff"], key__startswith="witness:objection_period").exists()
    sms = [m for m in OutboxMessage.objects.filter(purpose="witnesses") if "如有异议" in m.body]
    assert [m.recipient_masked for m in sms] == ["139****4321"]  # the defendant's phone
    assert Notice.objects.filter(user=users["judge"], key__startswith="witness:applied").exists()
    assert timedelta(days=3) - timedelta(seconds=5) < deadline - timezone.now() <= timedelta(days=3)
    # the applicant's own side cannot object; a reason is required
    with pytest.raises(ApplicationError) as info:
        services.witness_object(access=access_for(users["plaintiff"], room_case), actor=users["plaintiff"],
                                application=app, reason="x")
    assert info.value.code == "witness_not_other_side"
    defendant = access_for(users["defendant"], room_case)
    with pytest.raises(ApplicationError) as info:
        services.witness_object(access=defendant, actor=users["defendant"], application=app, reason=" ")
    assert info.value.code == "witness_reason_required"
    # the judge cannot issue the notice while the period runs
    judge = access_for(users["judge"], room_case)
    with pytest.raises(ApplicationError) as info:
        services.witness_notice_issue(access=judge, actor=users["judge"], application=app)
    assert info.value.code == "witness_objection_open"
    app = services.witness_object(access=defendant, actor=users["defendant"], application=app,
                                  reason="证人系原告亲属，可能受原告指使", may_be_directed=True)
    assert app.status == "objected" and app.designated_place_required is True
    with pytest.raises(ApplicationError):
        services.witness_objection_decide(access=judge, actor=users["judge"], application=app, upheld=True, reason="")
    app = services.witness_objection_decide(access=judge, actor=users["judge"], application=app, upheld=True,
                                            reason="异议成立，证人应当出庭作证")
    assert app.status == "in_person" and app.notice_paper_id is None
    assert kinds(room_case) == ["witnesses.applied", "witnesses.decided", "witnesses.objected",
                                "witnesses.objection_decided"]


def test_objection_after_the_period_is_refused(apply, users, room_case, access_for):
    app = _approve(apply(), users, room_case, access_for)
    with pytest.raises(ApplicationError) as info:
        services.witness_object(access=access_for(users["defendant"], room_case), actor=users["defendant"],
                                application=app, reason="迟到的异议", now=app.objection_deadline + timedelta(seconds=1))
    assert info.value.code == "witness_objection_closed"
    app.refresh_from_db()
    assert app.status == "objection_period"


def test_dismissed_objection_issues_the_notice_and_the_seal_holder_serves_it(apply, users, room_case, access_for):
    from yunting.core.papers.models import Paper
    from yunting.core.papers.services import paper_seal

    app = _approve(apply(), users, room_case, access_for)
    app = services.witness_object(access=access_for(users["defendant"], room_case), actor=users["defendant"],
                                  application=app, reason="证人与原告关系密切")
    app = services.witness_objection_decide(access=access_for(users["judge"], room_case), actor=users["judge"],
                                            application=app, upheld=False, reason="异议理由不足")
    assert app.status == "approved"
    paper = Paper.objects.get(pk=app.notice_paper_id)
    assert paper.template_code == "witness_notice" and paper.title == "在线出庭作证通知书"
    assert paper.kind == "notice" and paper.status == "issued"
    # the judge does not hold the seal: the notice waits for the court's seal holder, then is served on the parties
    assert "witnesses.notice_ready" in kinds(room_case)
    assert not JournalEntry.objects.filter(case=room_case, kind="service.wanted").exists()
    paper = paper_seal(paper=paper, actor=users["court_admin"])
    services.on_paper_sealed(JournalEntry.objects.filter(case=room_case, kind="papers.sealed").latest("seq"))
    wanted = JournalEntry.objects.get(case=room_case, kind="service.wanted")
    assert wanted.payload["paper_id"] == paper.pk and wanted.payload["purpose"] == "witnesses.notice"
    assert sorted(wanted.payload["recipients"]) == sorted(room_case.parties.values_list("pk", flat=True))
    services.on_paper_sealed(JournalEntry.objects.filter(case=room_case, kind="papers.sealed").latest("seq"))
    assert JournalEntry.objects.filter(case=room_case, kind="service.wanted").count() == 1


def test_notice_pdf_has_the_text_and_embeds_its_fonts(approved):
    from tests.rooms_media.test_recording import pdf_text_and_fonts
    from yunting.core.papers.models import Paper
    from yunting.kernel.blobs.store import blob_read

    app = approved()
    text, embedded = pdf_text_and_fonts(blob_read(Paper.objects.get(pk=app.notice_paper_id).pdf_sha256))
    assert "在线出庭作证通知书" in text and "钱多多" in text and "在线作证" in text
    assert embedded and all(embedded)


def test_rules_are_the_court_admins_to_edit(users, court):
    from yunting.workflows.witnesses.services import rules_for, rules_save

    kw = {"allowed_grounds": ["health"], "excluded_procedures": ["ordinary_panel", "ordinary"],
          "excluded_flags": ["professional_lender"], "max_online_per_side": 2, "designated_if_directed": True,
          "designated_if_several": False, "designated_if_applicant_outside": True, "objection_days": 5}
    with pytest.raises(ApplicationError) as info:
        rules_save(court=court, actor=users["judge"], **kw)
    assert info.value.code == "witness_not_court_admin"
    with pytest.raises(ApplicationError):
        rules_save(court=court, actor=users["court_admin"], **(kw | {"allowed_grounds": ["boredom"]}))
    rules_save(court=court, actor=users["court_admin"], **kw)
    rules = rules_for(court)
    assert rules.allowed_grounds == ("health",) and rules.max_online_per_side == 2
    assert rules.excluded_procedures == ("ordinary_panel", "ordinary")


def test_court_rules_apply_to_applications(apply, users, court):
    from yunting.workflows.witnesses.services import rules_save

    rules_save(court=court, actor=users["court_admin"], allowed_grounds=["force_majeure"],
               excluded_procedures=["ordinary_panel"], excluded_flags=[], max_online_per_side=3,
               designated_if_directed=True, designated_if_several=True, designated_if_applicant_outside=True,
               objection_days=7)
    app = apply(ground="health")
    assert app.verdict["online_allowed"] is False and "不属于本院准许" in app.verdict["reasons"][0]
