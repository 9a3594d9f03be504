"""Online consent per party and per hearing (OLR arts 4–5) and the art-21 grounds (OLR art 21)."""

import pytest
import time_machine

from yunting.core.journal.models import JournalEntry
from yunting.kernel.common.errors import Conflict, ValidationFailed
from yunting.workflows.hearings import services
from yunting.workflows.hearings.models import HearingParticipantConsent

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(act, hcase, rooms):
    return act(hcase, "judge", "hearing_request")


def _confirm(act, case, hearing, **kw):
    return act(case, "judge", "hearing_confirm", hearing=hearing, day="2026-05-07", slot="09:00", reason="法官指定", **kw)


def test_all_consent_online(act, hcase, requested, consent_all):
    consent_all(hcase, requested)
    hearing = _confirm(act, hcase, requested)
    assert hearing.form == "online" and hearing.courtroom.kind == "online" and hearing.room_id


def test_some_consent_hybrid_in_a_physical_courtroom_with_one_room(act, hcase, requested, users):
    from yunting.core.rooms.models import Participant

    act(hcase, "plaintiff", "hearing_consent", hearing=requested, action="consent")
    act(hcase, "defendant", "hearing_consent", hearing=requested, action="refuse")
    hearing = _confirm(act, hcase, requested)
    assert hearing.form == "hybrid" and hearing.courtroom.kind == "physical" and hearing.room_id
    seated = set(Participant.objects.filter(room_id=hearing.room_id).values_list("user_id", flat=True))
    # the plaintiff and their lawyer online; the defendant, who attends in court, is not seated in the room
    assert {users["judge"].pk, users["clerk"].pk, users["plaintiff"].pk, users["lawyer"].pk} <= seated
    assert users["defendant"].pk not in seated


def test_none_consent_needs_an_art21_ground_before_holding_it_in_court(act, hcase, requested):
    with pytest.raises(ValidationFailed) as missing:
        _confirm(act, hcase, requested)
    assert missing.value.data["field"] == "art21_ground"
    with pytest.raises(ValidationFailed):
        act(hcase, "judge", "hearing_set_art21", hearing=requested, ground="7")  # "other" needs the reason
    act(hcase, "judge", "hearing_set_art21", hearing=requested, ground="3", note="需当庭核对借条原件")
    hearing = _confirm(act, hcase, requested)
    assert hearing.form == "offline" and hearing.courtroom.kind == "physical" and hearing.room_id is None
    assert hearing.get_art21_ground_display().startswith("（三）需要通过庭审现场查明身份")


def test_consent_to_one_hearing_is_not_consent_to_another(act, hcase, requested, consent_all):
    consent_all(hcase, requested)
    second = act(hcase, "judge", "hearing_request", stage_kind="pronouncement")
    assert set(HearingParticipantConsent.objects.filter(hearing=second).values_list("decision", flat=True)) == {"pending"}


def test_withdrawal_needs_a_prior_consent_and_a_reason_and_reaches_the_judge(act, hcase, requested, consent_all, users):
    from yunting.core.threads.models import Notice

    with pytest.raises(ValidationFailed):
        act(hcase, "defendant", "hearing_consent", hearing=requested, action="withdraw", reason="网络不好")
    consent_all(hcase, requested)
    hearing = _confirm(act, hcase, requested)
    with pytest.raises(ValidationFailed):
        act(hcase, "defendant", "hearing_consent", hearing=hearing, action="withdraw", reason="")
    act(hcase, "defendant", "hearing_consent", hearing=hearing, action="withdraw", reason="家中网络中断")
    hearing.refresh_from_db()
    assert hearing.form == "hybrid" and hearing.courtroom.kind == "physical"
    assert Notice.objects.filter(user=users["judge"], key__startswith="hearing:withdraw").exists()
    assert hearing.changes.filter(kind="form").exists()
    entry = JournalEntry.objects.filter(case=hcase, kind="hearing.consent").order_by("-seq").first()
    assert entry.payload["decision"] == "withdrawn" and entry.payload["reason"] == "家中网络中断"


def test_no_change_of_consent_once_the_hearing_has_started(act, hcase, requested, consent_all, users):
    consent_all(hcase, requested)
    hearing = _confirm(act, hcase, requested)
    with time_machine.travel("2026-05-07 09:05 +08:00", tick=False):
        with pytest.raises(Conflict):
            act(hcase, "defendant", "hearing_consent", hearing=hearing, action="withdraw", reason="临时有事")
    assert HearingParticipantConsent.objects.get(hearing=hearing, party=hcase.defendant).decision == "consented"


def test_a_party_answers_only_for_their_own_side(act, hcase, requested):
    from yunting.kernel.common.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        act(hcase, "defendant", "hearing_consent", hearing=requested, action="consent", party_id=hcase.plaintiff.pk)
    with pytest.raises(PermissionDenied):
        act(hcase, "judge", "hearing_consent", hearing=requested, action="consent")
    services.planning.form_of(requested)  # nothing answered: still pending
    assert set(requested.consents.values_list("decision", flat=True)) == {"pending"}
