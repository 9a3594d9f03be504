"""Online dispute resolution (多元解纷 / 诉前调解, OMR 2022): disputes before they become lawsuits, the mediators and
organisations the court registers, assignments, the mediation agreement and its judicial confirmation.

A dispute lives on a 民诉前调 case from the first minute (numbered, with its own e-file and journal); this app keeps
what the workflow decides: state, deadlines, who mediates, the agreement and the confirmation. Per-mediator
statistics are precomputed on the Mediator row (updated by the services that close a dispute), so triage reads
one row per candidate, never the history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class DisputeType(models.TextChoices):
    NEIGHBOUR = "neighbour", pgettext_lazy("dispute type", "Neighbourhood")
    FAMILY = "family", pgettext_lazy("dispute type", "Marriage and family")
    LOAN = "loan", pgettext_lazy("dispute type", "Private lending")
    CONTRACT = "contract", pgettext_lazy("dispute type", "Contract")
    LABOUR = "labour", pgettext_lazy("dispute type", "Labour")
    PROPERTY = "property", pgettext_lazy("dispute type", "Property and tenancy")
    TRAFFIC = "traffic", pgettext_lazy("dispute type", "Traffic accident")
    CONSUMER = "consumer", pgettext_lazy("dispute type", "Consumer")
    FINANCE = "finance", pgettext_lazy("dispute type", "Financial")
    OTHER = "other", pgettext_lazy("dispute type", "Other")


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", pgettext_lazy("mediation organisation", "People's mediation committee")
    INDUSTRY = "industry", pgettext_lazy("mediation organisation", "Industry mediation organisation")
    LAWYER = "lawyer", pgettext_lazy("mediation organisation", "Lawyers' mediation studio")
    NOTARY = "notary", pgettext_lazy("mediation organisation", "Notary office")
    COURT = "court", pgettext_lazy("mediation organisation", "Court mediation centre")


class DisputeState(models.TextChoices):
    NEW = "new", pgettext_lazy("dispute", "New")
    ASSIGNED = "assigned", pgettext_lazy("dispute", "Assigned")
    MEDIATING = "mediating", pgettext_lazy("dispute", "Mediating")
    AGREED = "agreed", pgettext_lazy("dispute", "Agreed")
    FAILED = "failed", pgettext_lazy("dispute", "Failed")
    WITHDRAWN = "withdrawn", pgettext_lazy("dispute", "Withdrawn")
    CONFIRMED = "confirmed", pgettext_lazy("dispute", "Confirmed")
    CONVERTED = "converted", pgettext_lazy("dispute", "Converted to litigation")


OPEN_STATES = (DisputeState.NEW, DisputeState.ASSIGNED, DisputeState.MEDIATING)
RESOLVED_STATES = (DisputeState.AGREED, DisputeState.CONFIRMED)
CLOSED_STATES = (DisputeState.AGREED, DisputeState.FAILED, DisputeState.WITHDRAWN, DisputeState.CONFIRMED,
                 DisputeState.CONVERTED)


class MediationMode(models.TextChoices):
    NONE = "", pgettext_lazy("mediation mode", "Not started")
    ROOM = "room", pgettext_lazy("mediation mode", "Online room (synchronous)")
    THREAD = "thread", pgettext_lazy("mediation mode", "Message thread (asynchronous)")


class MediationOrganisation(models.Model):
    """A mediation organisation registered with a court (特邀调解组织): a people's mediation committee, an industry
    body, a lawyers' studio, a notary office."""

    organisation = models.OneToOneField("people.Organisation", on_delete=models.RESTRICT,
                                        related_name="mediation_profile",
                                        help_text="The organisation (kind mediation) in the people registry.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="mediation_organisations",
                              help_text="The court it is registered with.")
    kind = models.CharField(max_length=12, choices=OrganisationKind.choices, help_text="What sort of body.")
    localities = models.JSONField(default=list, blank=True, help_text="Townships / streets it serves.")
    specialisms = models.JSONField(default=list, blank=True, help_text="Dispute types (DisputeType values) it takes.")
    phone = models.CharField(max_length=20, blank=True, help_text="Contact phone.")
    active = models.BooleanField(default=True, help_text="Off: receives no new disputes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation organisation")
        ordering = ["id"]

    def __str__(self):
        return self.organisation.name


class Mediator(models.Model):
    """A mediator on the court's roster (特邀调解员), with the record triage weighs: precomputed counts, kept up to
    date by the services that assign and close disputes."""

    user = models.OneToOneField(USER, on_delete=models.RESTRICT, related_name="mediator_profile",
                                help_text="The mediator's account.")
    organisation = models.ForeignKey(MediationOrganisation, on_delete=models.RESTRICT, related_name="mediators",
                                     help_text="The organisation the mediator works for.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+",
                              help_text="The court whose roster lists the mediator.")
    specialisms = models.JSONField(default=list, blank=True, help_text="Dispute types (DisputeType values).")
    causes = models.JSONField(default=list, blank=True, help_text="Causes (案由 names) the mediator is expert in.")
    localities = models.JSONField(default=list, blank=True, help_text="Townships / streets the mediator covers.")
    languages = models.JSONField(default=list, blank=True, help_text="Languages or dialects, e.g. 普通话, 闽南话.")
    capacity = models.PositiveSmallIntegerField(default=10, help_text="Open disputes the mediator can carry at once.")
    active = models.BooleanField(default=True, help_text="Off: no new assignments.")
    open_count = models.PositiveIntegerField(default=0, help_text="Disputes now assigned or mediating (load).")
    closed_count = models.PositiveIntegerField(default=0, help_text="Disputes ended (agreed, failed, withdrawn).")
    success_count = models.PositiveIntegerField(default=0, help_text="Of those, ended with an agreement.")
    days_total = models.PositiveIntegerField(default=0, help_text="Sum of days from assignment to end (for average).")
    type_stats = models.JSONField(default=dict, blank=True,
                                  help_text="Per dispute type: {type: [closed, agreed]} (precomputed for triage).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediator")
        ordering = ["id"]
        indexes = [models.Index(fields=["court", "active"])]

    def __str__(self):
        return self.user.display_name


class ShanghaiDate(models.Func):
    """A UTC timestamp's calendar day in Shanghai, as the database computes it for a stored generated column (so
    raw and bulk inserts get it too): immutable on PostgreSQL (AT TIME ZONE with a constant zone), deterministic
    on SQLite (UTC+8: Shanghai has had no summer time since 1991). `month=True`: the first day of that month."""

    arity = 1
    output_field = models.DateField()

    def __init__(self, expression, month: bool = False, **extra):
        self.month = month
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        start = ", 'start of month'" if self.month else ""
        # whole seconds only: SQLite rounds a fraction to milliseconds, so 15:59:59.9999 UTC would be the next day
        return self.as_sql(compiler, connection,
                           template=f"date(substr(%(expressions)s, 1, 19), '+8 hours'{start})", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = ("(date_trunc('month', %(expressions)s AT TIME ZONE 'Asia/Shanghai'))::date" if self.month
                    else "(%(expressions)s AT TIME ZONE 'Asia/Shanghai')::date")
        return self.as_sql(compiler, connection, template=template, **extra)


class Dispute(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.RESTRICT, related_name="dispute",
                                help_text="The 民诉前调 case that carries the dispute's number, journal and e-file.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="disputes",
                              help_text="The court whose mediation network handles it.")
    dispute_type = models.CharField(max_length=12, choices=DisputeType.choices, help_text="Kind of dispute.")
    cause = models.ForeignKey("cases.Cause", on_delete=models.RESTRICT, related_name="+", help_text="案由.")
    locality = models.CharField(max_length=60, blank=True, help_text="Township / street where the dispute arose.")
    language = models.CharField(max_length=20, blank=True, help_text="Language the parties prefer (blank: 普通话).")
    state = models.CharField(max_length=10, choices=DisputeState.choices, default=DisputeState.NEW,
                             help_text="new → assigned → mediating → agreed/failed/withdrawn → confirmed/converted.")
    claims = models.JSONField(default=list, blank=True, help_text="The applicant's requests, one string each.")
    claim_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True,
                                       help_text="Amount in dispute, yuan.")
    facts = models.TextField(blank=True, help_text="事实与理由 as submitted (or composed from the questionnaire).")
    questionnaire = models.JSONField(default=dict, blank=True, help_text="Element questionnaire answers, checked.")
    payload = models.JSONField(default=dict, blank=True, help_text="The submitted body exactly as received.")
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                     help_text="The party or lawyer who submitted it (empty for an agency).")
    institution = models.ForeignKey("people.Organisation", null=True, blank=True, on_delete=models.RESTRICT,
                                    related_name="+", help_text="Partner agency that referred it (API key).")
    external_id = models.CharField(max_length=64, blank=True, help_text="The agency's own id: resubmitting is a no-op.")
    source_filing_id = models.PositiveBigIntegerField(null=True, blank=True,
                                                      help_text="The filing diverted to mediation at the filing desk.")
    organisation = models.ForeignKey(MediationOrganisation, null=True, blank=True, on_delete=models.RESTRICT,
                                     related_name="disputes", help_text="Organisation handling it.")
    mediator = models.ForeignKey(Mediator, null=True, blank=True, on_delete=models.RESTRICT, related_name="disputes",
                                 help_text="Mediator who accepted (or was asked).")
    mode = models.CharField(max_length=8, choices=MediationMode.choices, default=MediationMode.NONE, blank=True,
                            help_text="Room or thread, once mediation started.")
    thread_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="core/threads thread (thread mode).")
    room_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="core/rooms room (room mode).")
    created_at = models.DateTimeField(help_text="When received (UTC).")
    created_on = models.GeneratedField(
        expression=ShanghaiDate("created_at"), output_field=models.DateField(), db_persist=True,
        help_text="The day it was received, in Shanghai (computed by the database: dashboards group and filter on "
                  "it through an index instead of converting every row's timestamp).")
    created_month = models.GeneratedField(
        expression=ShanghaiDate("created_at", month=True), output_field=models.DateField(), db_persist=True,
        help_text="The first day of the month it was received, in Shanghai (the dashboard's month key).")
    assign_due = models.DateField(help_text="Mediator to be assigned by (3 working days, OMR).")
    assigned_at = models.DateTimeField(null=True, blank=True, help_text="When a mediator was assigned or picked.")
    accept_due = models.DateField(null=True, blank=True, help_text="Mediator to accept by (3 working days).")
    pick_due = models.DateField(null=True, blank=True, help_text="Parties to pick jointly by (2 working days).")
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="When the mediator accepted.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When mediation started.")
    mediation_due = models.DateField(null=True, blank=True, help_text="Pre-filing mediation ends by (30 days).")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it ended (agreed, failed, withdrawn).")
    outcome_reason = models.TextField(blank=True, help_text="Why it failed or was withdrawn.")
    undisputed_facts = models.JSONField(default=list, blank=True,
                                        help_text="Facts both sides accept, as the mediator recorded them.")
    disputed_points = models.JSONField(default=list, blank=True,
                                       help_text="Points still in dispute (争议焦点), as the mediator recorded them.")
    confirmation_case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.RESTRICT,
                                             related_name="confirmed_dispute",
                                             help_text="The 民特 case of the judicial confirmation.")
    converted_filing_id = models.PositiveBigIntegerField(null=True, blank=True,
                                                         help_text="The filing the failed dispute became.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dispute")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["court", "state"]), models.Index(fields=["court", "created_at"]),
                   models.Index(fields=["mediator", "state"]), models.Index(fields=["court", "cause", "state"]),
                   # the dashboard's and the early warnings' aggregates read these indexes alone (covering)
                   models.Index(fields=["court", "dispute_type", "state"], name="mediation_d_court_type_idx"),
                   models.Index(fields=["court", "locality", "state"], name="mediation_d_court_place_idx"),
                   models.Index(fields=["court", "created_month", "state"], name="mediation_d_court_month_idx"),
                   models.Index(fields=["court", "created_on", "locality", "cause"],
                                name="mediation_d_court_day_idx")]
        constraints = [
            models.UniqueConstraint(fields=["institution", "external_id"],
                                    condition=Q(institution__isnull=False) & ~Q(external_id=""),
                                    name="mediation_dispute_external_id"),
        ]

    def __str__(self):
        return f"dispute {self.pk} ({self.state})"


class Assignment(models.Model):
    """A mediator asked to take a dispute: by the coordinator (one click from a suggestion) or by the parties'
    joint pick. The mediator accepts or declines within 3 working days."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("assignment", "Awaiting the mediator")
        ACCEPTED = "accepted", pgettext_lazy("assignment", "Accepted")
        DECLINED = "declined", pgettext_lazy("assignment", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("assignment", "Withdrawn")

    class Source(models.TextChoices):
        COORDINATOR = "coordinator", pgettext_lazy("assignment", "Coordinator")
        PARTIES = "parties", pgettext_lazy("assignment", "Parties' joint choice")

    dispute = models.ForeignKey(Dispute, on_delete=models.RESTRICT, related_name="assignments", help_text="Dispute.")
    mediator = models.ForeignKey(Mediator, on_delete=models.RESTRICT, related_name="assignments", help_text="Asked.")
    source = models.CharField(max_length=12, choices=Source.choices, help_text="Who chose the mediator.")
    assigned_by = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="Who assigned.")
    assigned_at = models.DateTimeField(help_text="When.")
    accept_due = models.DateField(help_text="Accept or decline by (3 working days).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, help_text="Answer.")
    reason = models.TextField(blank=True, help_text="Why declined.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When answered.")
    score = models.JSONField(default=dict, blank=True, help_text="The triage suggestion it followed, if any.")

    class Meta:
        ordering = ["dispute", "id"]
        indexes = [models.Index(fields=["mediator", "status"])]
        constraints = [models.UniqueConstraint(fields=["dispute"], condition=Q(status="pending"),
                                               name="mediation_one_pending_assignment")]


class PartyPick(models.Model):
    """One party's choice of mediator; when every party has picked the same mediator, it is assigned."""

    dispute = models.ForeignKey(Dispute, on_delete=models.RESTRICT, related_name="picks", help_text="Dispute.")
    party = models.ForeignKey("cases.Party", on_delete=models.RESTRICT, related_name="+", help_text="Party.")
    mediator = models.ForeignKey(Mediator, on_delete=models.RESTRICT, related_name="+", help_text="Chosen.")
    user = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="Who picked.")
    picked_at = models.DateTimeField(help_text="When.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dispute", "party"], name="mediation_pick_once")]


class Agreement(models.Model):
    """调解协议: drafted by the mediator from the agreed terms, rendered to PDF (fonts embedded), signed by hand
    on screen by every party (the platform adds a PAdES signature on each one's behalf) and by the mediator.
    It is the parties' document, not a court paper: the court's ruling on it is a separate paper."""

    class Status(models.TextChoices):
        SIGNING = "signing", pgettext_lazy("agreement", "Awaiting signatures")
        SIGNED = "signed", pgettext_lazy("agreement", "Signed by all")
        SUPERSEDED = "superseded", pgettext_lazy("agreement", "Superseded")

    dispute = models.ForeignKey(Dispute, on_delete=models.RESTRICT, related_name="agreements", help_text="Dispute.")
    terms = models.JSONField(default=list, help_text="The agreed terms, one string each, in order.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SIGNING, help_text="Stage.")
    pdf_sha256 = models.CharField(max_length=64, help_text="The PDF as it stands (after the latest signature).")
    original_sha256 = models.CharField(max_length=64, help_text="The unsigned PDF as drafted.")
    slots = models.JSONField(default=list, help_text="[{name, label, party_id|null}] in signing order.")
    signed_slots = models.JSONField(default=list, blank=True, help_text="Names of the slots signed so far.")
    drafted_by = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="The mediator.")
    drafted_at = models.DateTimeField(help_text="When drafted.")
    signed_at = models.DateTimeField(null=True, blank=True, help_text="When the last signature went on.")

    class Meta:
        ordering = ["dispute", "-id"]


class AgreementSignature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.RESTRICT, related_name="signatures",
                                  help_text="Agreement.")
    slot = models.CharField(max_length=40, help_text="PDF signature field.")
    signer = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="Who signed.")
    party = models.ForeignKey("cases.Party", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="The party signing (empty for the mediator).")
    certificate_serial = models.CharField(max_length=80, help_text="The certificate the PAdES signature used.")
    pdf_sha256 = models.CharField(max_length=64, help_text="The PDF after this signature.")
    strokes_sha256 = models.CharField(max_length=64, help_text="The handwritten strokes (PNG) as drawn.")
    device = models.CharField(max_length=300, blank=True, help_text="Browser / device description.")
    signed_at = models.DateTimeField(help_text="When.")

    class Meta:
        ordering = ["agreement", "id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "slot"], name="mediation_signature_once")]


class Confirmation(models.Model):
    """司法确认 (SJC): the parties' joint application opens a 民特 case; accept within 3 days, decide within 15."""

    dispute = models.OneToOneField(Dispute, on_delete=models.RESTRICT, related_name="confirmation",
                                   help_text="Dispute.")
    case = models.OneToOneField("cases.Case", on_delete=models.RESTRICT, related_name="mediation_confirmation",
                                help_text="The 民特 case.")
    agreement = models.ForeignKey(Agreement, on_delete=models.RESTRICT, related_name="+", help_text="Confirmed text.")
    applied_by = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="Who applied.")
    applied_at = models.DateTimeField(help_text="When applied.")
    accept_due = models.DateField(help_text="Court to accept by (3 days).")
    decide_due = models.DateField(help_text="Court to decide by (15 days).")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When the judge ruled.")
    judge = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="Judge who ruled.")
    granted = models.BooleanField(null=True, blank=True, help_text="True: valid (有效); False: refused (驳回).")
    reasons = models.TextField(blank=True, help_text="The judge's reasons (required to refuse).")
    paper_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The ruling (core/papers).")


class Risk(models.Model):
    """Common risks shown in the self-help estimate, per cause (empty cause: every cause)."""

    cause = models.ForeignKey("cases.Cause", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                              help_text="Cause it applies to (empty: all).")
    text = models.TextField(help_text="The risk, in plain Chinese.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order shown.")

    class Meta:
        ordering = ["order", "id"]
