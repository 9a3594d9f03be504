import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "yt_"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the plaintext is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", help_text="Owner.")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    key_prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="Last successful use.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Set when revoked; a revoked token never works.")

    def __str__(self):
        return f"{self.key_prefix}… ({self.name or self.user_id})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, name: str = "") -> tuple["ApiToken", str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_prefix=raw[:10], key_hash=cls.hash(raw))
        return token, raw

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
