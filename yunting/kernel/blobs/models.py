from django.db import models


class Blob(models.Model):
    """Metadata of a stored, immutable byte string; the bytes live in the `blobs` storage under their hash."""

    sha256 = models.CharField(max_length=64, primary_key=True, help_text="Lower-case hex SHA-256 of the content.")
    size = models.BigIntegerField(help_text="Bytes.")
    mime_type = models.CharField(max_length=100, help_text="Detected from content (magic bytes), never from a name.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.sha256
