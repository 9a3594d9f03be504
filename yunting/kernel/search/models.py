from django.db import models


class SearchEntry(models.Model):
    """Pre-tokenised text of one searchable object; the engine-specific index over `tokens` is in migration 0002."""

    scope = models.CharField(max_length=32, help_text="What is indexed, e.g. case or document.")
    object_id = models.BigIntegerField(help_text="Primary key of the indexed object.")
    group_id = models.BigIntegerField(null=True, blank=True, help_text="Owner, e.g. the case of a document.")
    tokens = models.TextField(help_text="Space-separated tokens (tokens.tokenize).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "object_id"], name="search_entry_unique")]
        indexes = [models.Index(fields=["scope", "group_id"])]
