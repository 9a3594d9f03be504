"""Recordings made in rooms (chunked uploads assembled per session) and the discipline patrol's findings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordingState(models.TextChoices):
    RECORDING = "recording", _("Recording")
    FILED = "filed", _("Filed in the e-file")
    EMPTY = "empty", _("Nothing recorded")


class RecordingSession(models.Model):
    """One participant's recording in one room, uploaded by the page in chunks as MediaRecorder makes them."""

    room = models.ForeignKey("rooms.Room", on_delete=models.RESTRICT, related_name="recordings", help_text="Room.")
    participant = models.ForeignKey("rooms.Participant", on_delete=models.RESTRICT, related_name="recordings",
                                    help_text="Whose camera and microphone.")
    state = models.CharField(max_length=10, choices=RecordingState.choices, default=RecordingState.RECORDING,
                             help_text="recording → filed (or empty).")
    mime_type = models.CharField(max_length=40, blank=True, help_text="Container proved by chunk 0's magic bytes.")
    chunk_count = models.PositiveIntegerField(default=0, help_text="Chunks received.")
    bytes_received = models.BigIntegerField(default=0, help_text="Sum of the chunks' sizes.")
    started_at = models.DateTimeField(auto_now_add=True)
    last_chunk_at = models.DateTimeField(null=True, blank=True, help_text="When the latest chunk arrived.")
    blob = models.ForeignKey("blobs.Blob", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                             help_text="The assembled recording.")
    missing = models.JSONField(default=list, blank=True, help_text="Chunk numbers that never arrived.")
    filed_at = models.DateTimeField(null=True, blank=True)
    entry_id_filed = models.BigIntegerField(null=True, blank=True, help_text="The room.recording_filed entry.")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["state", "last_chunk_at"])]


class RecordingChunk(models.Model):
    session = models.ForeignKey(RecordingSession, on_delete=models.CASCADE, related_name="chunks",
                                help_text="Recording.")
    seq = models.PositiveIntegerField(help_text="0, 1, 2 … in the order MediaRecorder made them.")
    blob = models.ForeignKey("blobs.Blob", on_delete=models.RESTRICT, related_name="+", help_text="Bytes.")
    size = models.PositiveIntegerField(help_text="Bytes.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "seq"]
        constraints = [models.UniqueConstraint(fields=["session", "seq"], name="recording_chunk_unique")]


class PatrolSettings(models.Model):
    """A court's patrol thresholds (庭审智能巡查); the defaults of patrol.Thresholds where a court set none."""

    court = models.OneToOneField("people.Organisation", on_delete=models.RESTRICT, related_name="patrol_settings",
                                 help_text="Court.")
    out_of_frame_s = models.FloatField(default=10.0, help_text="Out of frame longer than this (s) is flagged.")
    extra_person_s = models.FloatField(default=2.0, help_text="More than one face for this long (s).")
    covered_s = models.FloatField(default=3.0, help_text="Camera covered or black for this long (s).")
    loud_s = models.FloatField(default=1.0, help_text="Loud sound for this long (s).")
    loud_dbfs = models.FloatField(default=-12.0, help_text="Loud means above this level (dBFS).")
    silence_s = models.FloatField(default=30.0, help_text="Silence (or a drop) for this long (s).")
    silence_dbfs = models.FloatField(default=-60.0, help_text="Silence means below this level (dBFS).")
    bar_association = models.CharField(max_length=100, default="律师协会",
                                       help_text="Addressee of confirmed breaches by lawyers.")
    updated_at = models.DateTimeField(auto_now=True)


class PatrolState(models.TextChoices):
    PENDING = "pending", _("Pending analysis")
    DONE = "done", _("Analysed")
    FAILED = "failed", _("Could not be analysed")


class PatrolRun(models.Model):
    session = models.OneToOneField(RecordingSession, on_delete=models.RESTRICT, related_name="patrol",
                                   help_text="The recording analysed.")
    state = models.CharField(max_length=10, choices=PatrolState.choices, default=PatrolState.PENDING,
                             help_text="pending → done / failed.")
    thresholds = models.JSONField(default=dict, blank=True, help_text="The court's settings used.")
    duration_s = models.FloatField(null=True, blank=True, help_text="Length of the recording.")
    frames = models.PositiveIntegerField(default=0, help_text="Video frames looked at.")
    error = models.CharField(max_length=300, blank=True)
    progress = models.JSONField(default=dict, blank=True,
                                help_text="Measurements so far (patrol.Progress) while the analysis runs in slices.")
    slices = models.PositiveIntegerField(default=0, help_text="Background jobs the analysis has taken so far.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class EventState(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class PatrolEvent(models.Model):
    """A suspected breach with its time code: staff confirm or dismiss it; never a finding by itself."""

    run = models.ForeignKey(PatrolRun, on_delete=models.RESTRICT, related_name="events", help_text="Analysis.")
    room = models.ForeignKey("rooms.Room", on_delete=models.RESTRICT, related_name="+", help_text="Room.")
    participant = models.ForeignKey("rooms.Participant", on_delete=models.RESTRICT, related_name="+",
                                    help_text="Whose recording.")
    kind = models.CharField(max_length=20, help_text="out_of_frame, extra_person, camera_covered, loud_noise, silence.")
    start_s = models.FloatField(help_text="Seconds from the start of the recording.")
    end_s = models.FloatField(help_text="Seconds from the start of the recording.")
    detail = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=EventState.choices, default=EventState.SUSPECTED,
                             help_text="suspected → confirmed / dismissed.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Staff who decided.")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True, help_text="Why confirmed or dismissed.")
    notice_sha256 = models.CharField(max_length=64, blank=True, help_text="Notice to the bar association (PDF).")

    class Meta:
        ordering = ["room", "start_s", "id"]
