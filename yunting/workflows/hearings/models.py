"""庭审排期与开庭: courtrooms, people's unavailability, hearings with their proposed slots, votes, consent per party
and stage (OLR arts 4–5), the reschedule history and the live stage trail.

The journal holds every act; these rows hold what the workflow decides and what the calendar needs to be fast.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Art21Ground, ConsentDecision, Form, HearingState, LiveStage, RoomKind, StageKind


class Courtroom(models.Model):
    """A place a hearing is held: a physical courtroom or an online (virtual) courtroom of one court."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    name = models.CharField(_("name"), max_length=60, help_text="e.g. 第一法庭, 在线法庭1.")
    kind = models.CharField(max_length=10, choices=RoomKind.choices, help_text="Physical or online.")
    capacity = models.PositiveSmallIntegerField(default=20, help_text="Seats (people in the room at once).")
    location = models.CharField(max_length=200, blank=True, help_text="Where it is (floor, building); shown on the summons.")
    active = models.BooleanField(default=True, help_text="Inactive courtrooms are not planned into.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["court", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="hearings_courtroom_name_unique")]

    def __str__(self):
        return self.name


class Unavailability(models.Model):
    """A person cannot attend a hearing on a day (or one slot of it). Applies across all their cases in the court."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="hearing_unavailability",
                             help_text="Judge, panel member, clerk, party or lawyer.")
    date = models.DateField(help_text="The day (Asia/Shanghai).")
    slot = models.CharField(max_length=5, blank=True, help_text="HH:MM of one slot; empty: the whole day.")
    reason = models.CharField(max_length=200, blank=True, help_text="e.g. 另案开庭, 出差.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="Who entered it (the person, or court staff).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "slot"]
        constraints = [models.UniqueConstraint(fields=["court", "user", "date", "slot"],
                                               name="hearings_unavailability_unique")]
        indexes = [models.Index(fields=["court", "date"])]


class Hearing(models.Model):
    """One hearing (庭前会议/开庭/宣判) of a case: requested → proposed → voting → confirmed → held | cancelled."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="hearings", help_text="Case.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    stage_kind = models.CharField(max_length=16, choices=StageKind.choices, default=StageKind.TRIAL,
                                  help_text="What kind of hearing.")
    form = models.CharField(max_length=8, choices=Form.choices, default=Form.ONLINE,
                            help_text="Online / in court / hybrid, from the parties' consent and the judge's art-21 finding.")
    state = models.CharField(max_length=10, choices=HearingState.choices, default=HearingState.REQUESTED,
                             help_text="Lifecycle state.")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                              related_name="+", help_text="Presiding judge (from the case).")
    courtroom = models.ForeignKey(Courtroom, null=True, blank=True, on_delete=models.RESTRICT, related_name="hearings",
                                  help_text="Where (for hybrid: the physical courtroom).")
    date = models.DateField(null=True, blank=True, help_text="Confirmed day (Asia/Shanghai).")
    slot = models.CharField(max_length=5, blank=True, help_text="First slot HH:MM.")
    slots_needed = models.PositiveSmallIntegerField(default=1, help_text="Consecutive slots it takes.")
    starts_at = models.DateTimeField(null=True, blank=True, help_text="UTC start of the confirmed slot.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="UTC end of the last slot.")
    not_before = models.DateField(null=True, blank=True, help_text="Earliest day the judge wants it.")
    vote_deadline = models.DateTimeField(null=True, blank=True, help_text="Votes close at (default 24 h after proposal).")
    vote_reminded_at = models.DateTimeField(null=True, blank=True, help_text="When the vote reminder went out.")
    override_reason = models.CharField(max_length=300, blank=True,
                                       help_text="Why the judge confirmed a slot the votes did not favour, or none of them.")
    art21_ground = models.CharField(max_length=2, blank=True, choices=Art21Ground.choices,
                                    help_text="OLR art 21 ground recorded by the judge when held in court.")
    art21_note = models.CharField(max_length=300, blank=True, help_text="The judge's words on the ground.")
    room = models.ForeignKey("rooms.Room", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                             help_text="Online room (core/rooms) for an online or hybrid hearing.")
    live_stage = models.CharField(max_length=20, blank=True, choices=LiveStage.choices, default=LiveStage.NOT_STARTED,
                                  help_text="Stage the judge has moved the hearing to.")
    live_stage_at = models.DateTimeField(null=True, blank=True, help_text="When the stage last changed.")
    summons_paper_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="core/papers Paper of the 传票.")
    summons_sha256 = models.CharField(max_length=64, blank=True, help_text="Sealed summons PDF.")
    summons_paper_ids = models.JSONField(default=list, blank=True,
                                         help_text="core/papers Paper ids of the current summonses, one per party.")
    served_on = models.DateField(null=True, blank=True, help_text="Day the summons was served (latest party).")
    notice_short = models.BooleanField(default=False,
                                       help_text="Service came later than 3 days before the hearing: the judge was warned.")
    cancel_reason = models.CharField(max_length=300, blank=True, help_text="Why it was cancelled.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                     help_text="Who asked for it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "slot", "id"]
        indexes = [models.Index(fields=["court", "date"]), models.Index(fields=["state", "vote_deadline"])]

    def __str__(self):
        return f"{self.case_id} {self.stage_kind} {self.date} {self.slot}"


class HearingOption(models.Model):
    """A slot the scheduler (or the judge) proposed for voting."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="options", help_text="Hearing.")
    number = models.PositiveSmallIntegerField(help_text="1, 2, 3 in the order shown.")
    date = models.DateField(help_text="Day.")
    slot = models.CharField(max_length=5, help_text="First slot HH:MM.")
    courtroom = models.ForeignKey(Courtroom, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                  help_text="Room the scheduler placed it in.")
    round = models.PositiveSmallIntegerField(default=1, help_text="Proposal round (a re-proposal starts a new one).")
    withdrawn = models.BooleanField(default=False, help_text="Superseded by a later proposal.")

    class Meta:
        ordering = ["hearing", "round", "number"]
        constraints = [models.UniqueConstraint(fields=["hearing", "round", "number"], name="hearings_option_unique")]


class HearingVote(models.Model):
    """One voter's answer on one proposed slot: can attend or not."""

    option = models.ForeignKey(HearingOption, on_delete=models.CASCADE, related_name="votes", help_text="Slot.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", help_text="Voter.")
    party = models.ForeignKey("cases.Party", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="Party voted for (own or as lawyer).")
    available = models.BooleanField(help_text="Can attend at this slot.")
    voted_at = models.DateTimeField(help_text="When (a change replaces the earlier answer).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "user"], name="hearings_vote_unique")]


class HearingParticipantConsent(models.Model):
    """A party's consent to hold this hearing (this stage) online — never inferred from another stage (OLR art 4)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="consents", help_text="Hearing.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+", help_text="Party.")
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices, default=ConsentDecision.PENDING,
                                help_text="Consent, refuse (attend in court), or withdrawn before the hearing.")
    reason = models.CharField(max_length=300, blank=True, help_text="Reason given (refusal, withdrawal: OLR art 5).")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Party or their lawyer.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hearing", "party"], name="hearings_consent_unique")]

    @property
    def online(self) -> bool:
        return self.decision == ConsentDecision.CONSENTED


class HearingChange(models.Model):
    """Reschedule history: each change of date/slot/room/form/state, with the reason (also a journal entry)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="changes", help_text="Hearing.")
    kind = models.CharField(max_length=20, help_text="confirmed | rescheduled | cancelled | form.")
    before = models.JSONField(default=dict, help_text="Date, slot, courtroom, form before.")
    after = models.JSONField(default=dict, help_text="After.")
    reason = models.CharField(max_length=300, blank=True, help_text="Why.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", help_text="Who.")
    at = models.DateTimeField(help_text="When (UTC).")

    class Meta:
        ordering = ["hearing", "at", "id"]


class HearingStageLog(models.Model):
    """Each stage the judge moved the hearing to (also a `hearing.stage_set` journal entry)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="stage_log", help_text="Hearing.")
    stage = models.CharField(max_length=20, choices=LiveStage.choices, help_text="Stage entered.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", help_text="Judge.")
    at = models.DateTimeField(help_text="When (UTC).")

    class Meta:
        ordering = ["hearing", "at", "id"]


class PlanRun(models.Model):
    """A week's plan for a division (or one case's proposal) run in the background; the result kept for review."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"
        APPLIED = "applied", "applied"

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    division = models.ForeignKey("courts.Division", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                 help_text="Division planned.")
    week_start = models.DateField(help_text="Monday of the week.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, help_text="State.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="0–100, shown while it runs.")
    problem = models.JSONField(default=dict, help_text="The problem dict sent to the solver.")
    plan = models.JSONField(default=dict, help_text="The solver's plan.")
    error_message = models.CharField(max_length=500, blank=True, help_text="Why it failed.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="Who ran it.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
