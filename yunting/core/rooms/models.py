from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunting.kernel.security.masking import mask_phone

from .choices import Activity, FileVolume, MediaBackend, ParticipantState, RoomState, Seat


class Room(models.Model):
    """One online session of a case: a hearing, a mediation session, a witnessing or a testimony."""

    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="rooms", help_text="The case.")
    activity = models.CharField(_("activity"), max_length=16, choices=Activity.choices, help_text="What happens here.")
    state = models.CharField(_("state"), max_length=12, choices=RoomState.choices, default=RoomState.OPEN,
                             help_text="open (lobby open) → live ⇄ paused → closed.")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="hosted_rooms",
                             help_text="The judge or mediator who controls the room.")
    title = models.CharField(_("title"), max_length=200, blank=True, help_text="Shown on the courtroom page.")
    file_volume = models.CharField(_("file volume"), max_length=10, choices=FileVolume.choices,
                                   help_text="正卷 or 副卷: where the recording is filed (follows the activity).")
    media_backend = models.CharField(max_length=10, choices=MediaBackend.choices, default=MediaBackend.MESH,
                                     help_text="How media flows: browser mesh, or an SFU (rooms.media).")
    media_ref = models.CharField(max_length=200, blank=True,
                                 help_text="The SFU's id for this room (Janus room number, LiveKit room name).")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="First went live.")
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("room")
        indexes = [models.Index(fields=["case", "state"]), models.Index(fields=["state"])]

    def __str__(self):
        return f"{self.get_activity_display()} #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.state == RoomState.CLOSED


class Participant(models.Model):
    """A seat in a room, held by an account or by an outside person reached through an invitation."""

    room = models.ForeignKey(Room, on_delete=models.RESTRICT, related_name="participants", help_text="The room.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                             related_name="room_seats", help_text="The account, once known.")
    seat = models.CharField(_("seat"), max_length=24, choices=Seat.choices, help_text="Seat name (审判长, 原告 …).")
    display_name = models.CharField(max_length=100, blank=True, help_text="Name shown under the seat.")
    is_host = models.BooleanField(default=False, help_text="Controls the room (the judge or mediator).")
    state = models.CharField(_("state"), max_length=12, choices=ParticipantState.choices,
                             default=ParticipantState.INVITED, help_text="Where this person is now.")
    breakout = models.CharField(max_length=40, blank=True, help_text="The private breakout this person is in.")
    muted_audio = models.BooleanField(default=False, help_text="Muted by the host: the server relays no audio.")
    camera_off = models.BooleanField(default=False, help_text="Camera turned off by the host: no video relayed.")
    rules_acknowledged_at = models.DateTimeField(null=True, blank=True, help_text="Acknowledged the courtroom rules.")
    verified_at = models.DateTimeField(null=True, blank=True, help_text="Identity re-verified at entry (OLR art 7).")
    verification_method = models.CharField(max_length=16, blank=True, help_text="otp or otp+face.")
    admitted_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True, help_text="Last connected.")
    left_at = models.DateTimeField(null=True, blank=True, help_text="Last left or dropped.")
    removed_reason = models.CharField(max_length=200, blank=True)
    quality = models.JSONField(default=dict, blank=True,
                               help_text="Latest network quality from the browser (rtt_ms, loss, kbps, level).")
    quality_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("room participant")
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], condition=models.Q(user__isnull=False),
                                    name="room_participant_user_once"),
        ]
        indexes = [models.Index(fields=["room", "state"])]

    def __str__(self):
        return f"{self.get_seat_display()} {self.display_name}".strip()

    @property
    def seat_label(self) -> str:
        return self.get_seat_display()


class RoomInvitation(models.Model):
    """A one-time link for an outside person (witness, interpreter, prisoner's terminal): only its hash is kept."""

    room = models.ForeignKey(Room, on_delete=models.RESTRICT, related_name="invitations", help_text="The room.")
    participant = models.OneToOneField(Participant, on_delete=models.RESTRICT, related_name="invitation",
                                       help_text="The seat it opens.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token in the link.")
    contact_name = models.CharField(max_length=100, help_text="Name of the person invited.")
    contact_phone = models.CharField(max_length=20, help_text="Where the link and the one-time code are sent.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="Who invited.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="After this the link no longer works.")
    used_at = models.DateTimeField(null=True, blank=True, help_text="The link was used (it works once).")

    class Meta:
        verbose_name = _("room invitation")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)
