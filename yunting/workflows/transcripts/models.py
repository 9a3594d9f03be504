"""庭审笔录: the live transcript of one hearing, its revisions, speech-recognition suggestions, corrections asked
for by participants, and each participant's signature or refusal.

The text is the clerk's while the hearing runs (every save a revision); from the start of the review it changes
only through a correction the clerk accepts (a new version, recorded with who asked). Every act that matters to
the record is also a journal entry (entries.py); these rows are what the pages need quickly.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class TranscriptStatus(models.TextChoices):
    DRAFTING = "drafting", pgettext_lazy("transcript", "Being recorded")
    REVIEW = "review", pgettext_lazy("transcript", "Under review")
    COMPLETED = "completed", pgettext_lazy("transcript", "Signed and filed")


class Transcript(models.Model):
    """The transcript of one hearing."""

    hearing = models.OneToOneField("hearings.Hearing", on_delete=models.RESTRICT, related_name="transcript",
                                   help_text="The hearing recorded.")
    case = models.ForeignKey("cases.Case", on_delete=models.RESTRICT, related_name="+", help_text="Case.")
    status = models.CharField(max_length=10, choices=TranscriptStatus.choices, default=TranscriptStatus.DRAFTING,
                              help_text="drafting → review → completed.")
    text = models.TextField(blank=True, help_text="The current text (the latest revision).")
    revision = models.PositiveIntegerField(default=0, help_text="Number of the latest revision.")
    version = models.PositiveIntegerField(default=0, help_text="Review version (1 at review start, +1 per accepted "
                                                               "correction); 0 while drafting.")
    attendance = models.JSONField(default=dict, help_text="Snapshot at review start: absent, left, present.")
    review_started_at = models.DateTimeField(null=True, blank=True, help_text="When the review began.")
    review_due = models.DateField(null=True, blank=True, help_text="Last day to read and sign (CPL art 150).")
    pdf_sha256 = models.CharField(max_length=64, blank=True,
                                  help_text="PDF of the current version with the signatures applied so far.")
    completed_at = models.DateTimeField(null=True, blank=True, help_text="When everyone had signed or refused.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                   help_text="The clerk who opened it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"transcript of hearing {self.hearing_id}"


class Revision(models.Model):
    """One saved state of the text (autosave while drafting; one per version during the review)."""

    class Kind(models.TextChoices):
        AUTOSAVE = "autosave", pgettext_lazy("transcript", "Saved")
        REVIEW = "review", pgettext_lazy("transcript", "Review version")
        CORRECTION = "correction", pgettext_lazy("transcript", "Correction accepted")

    transcript = models.ForeignKey(Transcript, on_delete=models.RESTRICT, related_name="revisions",
                                   help_text="Transcript.")
    number = models.PositiveIntegerField(help_text="1, 2, 3 …")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.AUTOSAVE, help_text="Why it exists.")
    text = models.TextField(help_text="The full text at this revision.")
    text_digest = models.CharField(max_length=64, help_text="SHA-256 of the text (not a stored file).")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                               help_text="Who saved it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transcript", "number"]
        constraints = [models.UniqueConstraint(fields=["transcript", "number"], name="transcripts_revision_once")]


class Suggestion(models.Model):
    """A stretch of speech recognised automatically: shown to the clerk, entering the text only if accepted."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("transcript", "Suggested")
        ACCEPTED = "accepted", pgettext_lazy("transcript", "Accepted")
        DISMISSED = "dismissed", pgettext_lazy("transcript", "Dismissed")

    transcript = models.ForeignKey(Transcript, on_delete=models.RESTRICT, related_name="suggestions",
                                   help_text="Transcript.")
    text = models.TextField(help_text="Recognised text.")
    start = models.FloatField(help_text="Seconds from the start of the audio chunk.")
    end = models.FloatField(help_text="Seconds from the start of the audio chunk.")
    speaker = models.CharField(max_length=40, blank=True, help_text="Seat label the clerk chose, if any.")
    engine = models.CharField(max_length=20, help_text="Engine that produced it.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, help_text="Clerk's decision.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Clerk.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transcript", "id"]


class Correction(models.Model):
    """A participant's request to correct the text (CPL art 150): kept beside the text, never applied silently."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("transcript", "Awaiting the clerk")
        ACCEPTED = "accepted", pgettext_lazy("transcript", "Accepted")
        REFUSED = "refused", pgettext_lazy("transcript", "Not accepted")

    transcript = models.ForeignKey(Transcript, on_delete=models.RESTRICT, related_name="corrections",
                                   help_text="Transcript.")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                                  help_text="Who asked.")
    requester_label = models.CharField(max_length=120, help_text="Seat and name, as shown to everyone.")
    version = models.PositiveIntegerField(help_text="The version the request refers to.")
    passage = models.TextField(help_text="The words in the transcript to correct.")
    proposed = models.TextField(help_text="What they should say.")
    note = models.CharField(max_length=500, blank=True, help_text="The requester's explanation.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, help_text="Decision.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="+", help_text="Clerk.")
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When decided.")
    refusal_reason = models.CharField(max_length=500, blank=True, help_text="Why not accepted (shown to all).")
    new_version = models.PositiveIntegerField(null=True, blank=True, help_text="Version made by accepting it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transcript", "created_at", "id"]


class Signoff(models.Model):
    """One participant's answer to the review: signed (handwriting + one-time code + PAdES) or refused (reason)."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("transcript", "To sign")
        SIGNED = "signed", pgettext_lazy("transcript", "Signed")
        REFUSED = "refused", pgettext_lazy("transcript", "Refused to sign")

    transcript = models.ForeignKey(Transcript, on_delete=models.RESTRICT, related_name="signoffs",
                                   help_text="Transcript.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+",
                             help_text="The signer.")
    role = models.CharField(max_length=24, help_text="Seat (core.rooms Seat value) or judge / clerk.")
    label = models.CharField(max_length=120, help_text="Seat and name printed beside the signature.")
    slot = models.CharField(max_length=40, help_text="PDF signature field name.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Print order (parties first, then the court).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, help_text="Answer.")
    version = models.PositiveIntegerField(null=True, blank=True, help_text="Version signed or refused.")
    refusal_reason = models.CharField(max_length=500, blank=True, help_text="Why they refuse (printed).")
    strokes_sha256 = models.CharField(max_length=64, blank=True, help_text="Handwritten signature PNG (blob).")
    certificate_serial = models.CharField(max_length=64, blank=True, help_text="Certificate of the PAdES signature.")
    otp_failures = models.PositiveSmallIntegerField(default=0, help_text="Wrong one-time codes so far.")
    locked_at = models.DateTimeField(null=True, blank=True, help_text="Locked after too many wrong codes.")
    device = models.CharField(max_length=300, blank=True, help_text="User agent of the signing device.")
    answered_at = models.DateTimeField(null=True, blank=True, help_text="When signed or refused.")
    voided = models.PositiveSmallIntegerField(default=0, help_text="Times an accepted correction voided the answer.")

    class Meta:
        ordering = ["transcript", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["transcript", "user"], name="transcripts_signoff_once")]
