from django.db import models


class ReadLog(models.Model):
    """Who read which case, document or personal record, when and through which channel. Append-only (triggers)."""

    user_id = models.BigIntegerField(null=True, help_text="Reader's user id (kernel knows no user model).")
    username = models.CharField(max_length=150, help_text="Reader's username at the time.")
    action = models.CharField(max_length=40, help_text="e.g. case.view, document.view, efile.download.")
    case_id = models.BigIntegerField(null=True, blank=True, help_text="Case concerned, if any.")
    object_type = models.CharField(max_length=40, blank=True, help_text="e.g. document, party, user.")
    object_id = models.CharField(max_length=64, blank=True, help_text="Id of the object read.")
    channel = models.CharField(max_length=10, help_text="web or api.")
    ip = models.GenericIPAddressField(null=True, blank=True, help_text="Client address.")
    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="UTC.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case_id", "at"]), models.Index(fields=["user_id", "at"])]
