"""共享法庭 (Lishui, SPC case 172): the court's registry of service points, the township-to-court travel table,
attendances of parties at a point for a session in an online room, and the acts the point's staff do for a
party who is present (assisted filing, assisted signing)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AttendanceStatus, PointKind, SessionKind

USER = settings.AUTH_USER_MODEL


class ServicePoint(models.Model):
    """One point (乡镇/街道, 矛调中心, 律所, 银行, 邮政网点 …). Its staff are the members of its organisation with
    the role service_point_staff."""

    organisation = models.OneToOneField("people.Organisation", on_delete=models.RESTRICT, related_name="service_point",
                                        help_text="The point's organisation (kind service_point): staff are its members.")
    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="service_points",
                              help_text="The court that manages the point.")
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices, help_text="Where the point is hosted.")
    township = models.CharField(_("township"), max_length=60, help_text="乡镇/街道 the point serves (travel table key).")
    address = models.CharField(_("address"), max_length=200, help_text="Street address shown on the public list.")
    equipment = models.JSONField(_("equipment"), default=list, blank=True,
                                 help_text="Equipment codes (choices.Equipment): signature pad, document camera …")
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True,
                                     help_text="As shown to the public, e.g. 周一至周五 9:00–17:00.")
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text="The point's public phone.")
    active = models.BooleanField(_("active"), default=True, help_text="Shown on the public list and can be chosen.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shared-court service point")
        ordering = ["township", "id"]
        indexes = [models.Index(fields=["court", "active", "township"])]

    def __str__(self):
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name


class TravelEstimate(models.Model):
    """The court's table of one-way distance and travel time from a township to the court (maintained by the
    court): what a party attending from a point in that township saves, there and back."""

    court = models.ForeignKey("people.Organisation", on_delete=models.RESTRICT, related_name="+", help_text="Court.")
    township = models.CharField(max_length=60, help_text="乡镇/街道.")
    distance_km = models.DecimalField(max_digits=6, decimal_places=1, help_text="One way, km.")
    minutes = models.PositiveIntegerField(help_text="One way, minutes by the usual public transport.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "township"], name="sharedcourt_travel_unique")]
        ordering = ["township"]


class Attendance(models.Model):
    """A party attends a session (a room of the case) from a point: applied for by the party or proposed by the
    judge, decided by the judge; on the day the point's staff check identity, join the room in the party's seat
    and confirm the party is present and alone."""

    point = models.ForeignKey(ServicePoint, on_delete=models.RESTRICT, related_name="attendances", help_text="Point.")
    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="The case.")
    room = models.ForeignKey("rooms.Room", on_delete=models.RESTRICT, related_name="+", help_text="The session.")
    participant = models.ForeignKey("rooms.Participant", on_delete=models.RESTRICT, related_name="+",
                                    help_text="The party's seat in the room, which the staff's device takes.")
    party = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="point_attendances",
                              help_text="The person who attends at the point.")
    session_kind = models.CharField(max_length=12, choices=SessionKind.choices, help_text="Hearing, mediation, testimony.")
    scheduled_at = models.DateTimeField(_("session time"), help_text="When the session is (UTC).")
    status = models.CharField(max_length=12, choices=AttendanceStatus.choices, default=AttendanceStatus.REQUESTED,
                              help_text="requested → approved | refused; cancelled.")
    requested_by = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+",
                                     help_text="The party who applied, or the judge who proposed.")
    proposed_by_court = models.BooleanField(default=False, help_text="The judge proposed it (approved at once).")
    reason = models.TextField(blank=True, help_text="Why the party attends from a point.")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                   help_text="The judge who decided.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, help_text="Required when refused.")
    id_checked_at = models.DateTimeField(null=True, blank=True, help_text="Identity checked on site.")
    id_checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                      help_text="The staff member who checked.")
    id_number_masked = models.CharField(max_length=18, blank=True, help_text="The ID number checked, masked.")
    photo_sha256 = models.CharField(max_length=64, blank=True,
                                    help_text="The photo taken with the document camera (blob); court and staff only.")
    joined_at = models.DateTimeField(null=True, blank=True, help_text="The staff joined the room for the party.")
    joined_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                  help_text="The staff member whose device took the party's seat.")
    presence_confirmed_at = models.DateTimeField(null=True, blank=True)
    presence_confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.RESTRICT,
                                              related_name="+", help_text="Staff who confirmed presence.")
    travel_km = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True,
                                    help_text="Travel saved (there and back), from the court's table, at joining.")
    travel_minutes = models.PositiveIntegerField(null=True, blank=True, help_text="Time saved (there and back).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance at a service point")
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="refused") | ~models.Q(decision_reason=""),
                                   name="sharedcourt_refused_has_reason"),
        ]
        indexes = [models.Index(fields=["point", "status", "scheduled_at"]), models.Index(fields=["party", "status"])]

    def __str__(self):
        return f"attendance {self.pk} ({self.status})"


class AssistedFiling(models.Model):
    """The point's staff filed online for a party present at the point (the filing's filer is the party; the
    staff member is the actor who submitted it)."""

    point = models.ForeignKey(ServicePoint, on_delete=models.RESTRICT, related_name="filings", help_text="Point.")
    filing_id = models.PositiveBigIntegerField(unique=True, help_text="The filing (workflows/filing) submitted.")
    party = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="The party filed for.")
    staff = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="Staff who filed.")
    travel_km = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True,
                                    help_text="Travel saved (there and back) from the court's table.")
    travel_minutes = models.PositiveIntegerField(null=True, blank=True, help_text="Time saved (there and back).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class AssistedSignature(models.Model):
    """A party signed on the point's signature pad, the staff present: both are recorded."""

    point = models.ForeignKey(ServicePoint, on_delete=models.RESTRICT, related_name="signatures", help_text="Point.")
    attendance = models.ForeignKey(Attendance, on_delete=models.RESTRICT, related_name="signatures",
                                   help_text="The session it belongs to.")
    party = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="Who signed.")
    staff = models.ForeignKey(USER, on_delete=models.RESTRICT, related_name="+", help_text="Staff present.")
    title = models.CharField(max_length=120, help_text="What was signed.")
    strokes_sha256 = models.CharField(max_length=64, help_text="The handwritten strokes (PNG blob).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
