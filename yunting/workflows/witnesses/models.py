from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunting.kernel.security.masking import mask_id_number, mask_phone

from . import eligibility
from .choices import ApplicationStatus, Stage


def _default_grounds():
    return list(eligibility.DEFAULT_RULES.allowed_grounds)


def _default_procedures():
    return list(eligibility.DEFAULT_RULES.excluded_procedures)


def _default_flags():
    return list(eligibility.DEFAULT_RULES.excluded_flags)


class EligibilityRules(models.Model):
    """A court's rules for online witnesses, edited by its administrator (defaults: Ningbo Beilun)."""

    court = models.OneToOneField("people.Organisation", on_delete=models.RESTRICT, related_name="witness_rules",
                                 help_text="The court these rules are for.")
    allowed_grounds = models.JSONField(default=_default_grounds, help_text="Grounds that allow online testimony.")
    excluded_procedures = models.JSONField(default=_default_procedures,
                                           help_text="Procedures in which witnesses testify in court.")
    excluded_flags = models.JSONField(default=_default_flags,
                                      help_text="Applicant or witness flags that exclude online testimony.")
    max_online_per_side = models.PositiveSmallIntegerField(default=3, help_text="Most online witnesses for one side.")
    designated_if_directed = models.BooleanField(default=True, help_text="Designated place when the other side "
                                                                         "reasonably fears the witness is directed.")
    designated_if_several = models.BooleanField(default=True, help_text="Designated place when several witnesses "
                                                                        "testify online.")
    designated_if_applicant_outside = models.BooleanField(
        default=True, help_text="Designated place when the applicant takes part from a place not designated.")
    objection_days = models.PositiveSmallIntegerField(default=3, help_text="Days the other side has to object.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Who last changed the rules.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("witness eligibility rules")

    def as_rules(self) -> eligibility.Rules:
        return eligibility.Rules(
            allowed_grounds=tuple(self.allowed_grounds), excluded_procedures=tuple(self.excluded_procedures),
            excluded_flags=tuple(self.excluded_flags), max_online_per_side=self.max_online_per_side,
            designated_if_directed=self.designated_if_directed, designated_if_several=self.designated_if_several,
            designated_if_applicant_outside=self.designated_if_applicant_outside)


class WitnessApplication(models.Model):
    """A party's application for a witness to testify online, the judge's decisions, and the testimony itself."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="witness_applications",
                             help_text="The case.")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                  help_text="The party or lawyer who applied.")
    side = models.CharField(max_length=20, help_text="The applying party's role (plaintiff, defendant …).")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+",
                              help_text="The party for whom the witness is called.")
    witness_name = models.CharField(_("witness name"), max_length=100, help_text="The witness's name.")
    witness_phone = models.CharField(_("witness phone"), max_length=20, help_text="For the link and the codes.")
    witness_id_number = models.CharField(_("witness ID number"), max_length=18, help_text="Checked (GB 11643).")
    ground = models.CharField(max_length=20, help_text="The ground for testifying online.")
    ground_note = models.CharField(max_length=500, blank=True, help_text="The applicant's explanation.")
    facts = models.TextField(help_text="The facts the witness is to prove.")
    facts_input = models.JSONField(default=dict, help_text="The eligibility body evaluated (issue 15 interface).")
    verdict = models.JSONField(default=dict, help_text="The evaluator's answer when the application was made.")
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED,
                              help_text="Where the application stands.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="The judge who decided.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True,
                                       help_text="Required when the decision overrides the verdict.")
    overrides_verdict = models.BooleanField(default=False, help_text="The judge decided against the verdict.")
    designated_place_required = models.BooleanField(default=False, help_text="From the verdict (or the judge).")
    objection_deadline = models.DateTimeField(null=True, blank=True, help_text="The other side may object until.")
    objection_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                     related_name="+", help_text="Who objected.")
    objection_reason = models.TextField(blank=True, help_text="The objection's reasons.")
    objection_at = models.DateTimeField(null=True, blank=True)
    objection_upheld = models.BooleanField(null=True, blank=True, help_text="The judge's decision on the objection.")
    objection_decision_reason = models.CharField(max_length=500, blank=True)
    notice_paper_id = models.IntegerField(null=True, blank=True, help_text="The 在线出庭作证通知书 (core/papers).")
    room = models.ForeignKey("rooms.Room", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                             help_text="The room the witness testifies in (the hearing's, or a separate one).")
    participant = models.ForeignKey("rooms.Participant", null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="The witness's seat in that room.")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.NOT_INVITED,
                             help_text="Where the witness is in the session.")
    called_at = models.DateTimeField(null=True, blank=True, help_text="Called to testify (identity re-checked after).")
    testifying_since = models.DateTimeField(null=True, blank=True)
    oath_signed_at = models.DateTimeField(null=True, blank=True)
    oath_sha256 = models.CharField(max_length=64, blank=True, help_text="The signed 证人保证书 (PDF).")
    oath_strokes_sha256 = models.CharField(max_length=64, blank=True, help_text="The handwritten signature (PNG).")
    read_aloud_at = models.DateTimeField(null=True, blank=True, help_text="The judge asked for the oath read aloud.")
    other_court = models.CharField(max_length=100, blank=True,
                                   help_text="The court the witness testifies from (designated place).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("witness application")
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self):
        return f"{self.witness_name} ({self.get_status_display()})"

    @property
    def witness_phone_masked(self) -> str:
        return mask_phone(self.witness_phone)

    @property
    def witness_id_masked(self) -> str:
        return mask_id_number(self.witness_id_number)
