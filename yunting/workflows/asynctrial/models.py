"""异步审理 (OLR art 20): an exchange on a case, run on a core/threads thread.

Positions on evidence, questions, answers, defences, guidance and settlement proposals are thread items
(immutable); this app keeps what the workflow itself decides: consent, pledges, rounds, settlement answers,
changes of position at the hearing, and the report.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExchangeState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("asynctrial", "Proposed")
    OPEN = "open", pgettext_lazy("asynctrial", "Open")
    CLOSED = "closed", pgettext_lazy("asynctrial", "Closed")


class Exchange(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.RESTRICT, related_name="exchange", help_text="Case.")
    thread = models.OneToOneField("threads.Thread", on_delete=models.RESTRICT, related_name="exchange",
                                  help_text="Where the items are posted.")
    state = models.CharField(max_length=10, choices=ExchangeState.choices, default=ExchangeState.PROPOSED,
                             help_text="proposed → open (all parties consented) → closed.")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                    help_text="Judge or assistant who proposed it.")
    proposed_at = models.DateTimeField(help_text="When proposed.")
    round_days = models.PositiveSmallIntegerField(default=7, help_text="Days each round runs (reply period).")
    current_round = models.PositiveSmallIntegerField(default=0, help_text="0 until open.")
    opened_at = models.DateTimeField(null=True, blank=True, help_text="When every party had consented.")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When the assistant closed it.")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                  related_name="+", help_text="Who closed it.")
    report_document_id = models.PositiveBigIntegerField(null=True, blank=True,
                                                        help_text="The latest 异步质证报告 in the e-file.")
    settlement_paper_id = models.PositiveBigIntegerField(null=True, blank=True,
                                                         help_text="Draft mediation paper once all sides accepted.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("asynchronous exchange")
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"{self.case_id} {self.state}"


class Consent(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", pgettext_lazy("asynctrial", "Pending")
        CONSENTED = "consented", pgettext_lazy("asynctrial", "Consented")
        REFUSED = "refused", pgettext_lazy("asynctrial", "Refused")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="consents", help_text="Exchange.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+", help_text="Party asked.")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING, help_text="Answer.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="The party or their lawyer.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When answered.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exchange", "party"], name="asynctrial_consent_unique")]


class Pledge(models.Model):
    """诚信诉讼承诺: signed by each party-side participant before entering."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="pledges", help_text="Exchange.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", help_text="Signer.")
    text_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the pledge text signed.")
    signed_at = models.DateTimeField(help_text="When signed.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exchange", "user"], name="asynctrial_pledge_unique")]


class Round(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="rounds", help_text="Exchange.")
    number = models.PositiveSmallIntegerField(help_text="1, 2, 3 …")
    opened_at = models.DateTimeField(help_text="When it started.")
    deadline = models.DateTimeField(help_text="Replies due by (end of the day, Asia/Shanghai, working-day rule).")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When the next round started or it closed.")
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="When the near-deadline reminder went out.")

    class Meta:
        ordering = ["exchange", "number"]
        constraints = [models.UniqueConstraint(fields=["exchange", "number"], name="asynctrial_round_unique")]
        indexes = [models.Index(fields=["closed_at", "reminded_at", "deadline"])]


class SettlementAnswer(models.Model):
    class Decision(models.TextChoices):
        ACCEPT = "accept", pgettext_lazy("asynctrial", "Accept")
        REJECT = "reject", pgettext_lazy("asynctrial", "Reject")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="settlement_answers",
                                 help_text="Exchange.")
    proposal = models.ForeignKey("threads.Item", on_delete=models.RESTRICT, related_name="+",
                                 help_text="The proposal item answered.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+", help_text="Party.")
    decision = models.CharField(max_length=8, choices=Decision.choices, help_text="Accept or reject.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+", help_text="Who.")
    decided_at = models.DateTimeField(help_text="When.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "party"], name="asynctrial_settlement_unique")]


class PositionChange(models.Model):
    """A party departs at the hearing from a position taken in the exchange: needs a reason and the judge's leave."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("asynctrial", "Requested")
        GRANTED = "granted", pgettext_lazy("asynctrial", "Granted")
        REFUSED = "refused", pgettext_lazy("asynctrial", "Refused")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="position_changes",
                                 help_text="Exchange.")
    evidence = models.ForeignKey("threads.Item", on_delete=models.RESTRICT, related_name="+",
                                 help_text="Evidence item concerned.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+", help_text="Whose position.")
    prop = models.CharField(max_length=16, help_text="authenticity | legality | relevance.")
    before = models.CharField(max_length=8, help_text="Position in the exchange.")
    after = models.CharField(max_length=8, help_text="Position now taken.")
    reason = models.TextField(help_text="Why the party departs from it.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                     help_text="Who asked (the party, their lawyer, or the clerk recording it).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED, help_text="State.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Judge who gave or refused leave.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When.")
    created_at = models.DateTimeField(auto_now_add=True)
