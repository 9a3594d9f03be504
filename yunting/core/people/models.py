from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunting.kernel.security.fields import EncryptedTextField
from yunting.kernel.security.masking import MaskedContactMixin

from .choices import CourtLevel, OrganisationKind, Role


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, help_text="What sort of body.")
    name = models.CharField(_("name"), max_length=200, unique=True, help_text="Full official name.")
    court_code = models.CharField(
        _("court code"), max_length=16, null=True, blank=True, unique=True,
        help_text="法院代字 such as 粤0306; courts only.",
    )
    level = models.CharField(_("level"), max_length=20, choices=CourtLevel.choices, blank=True, help_text="Courts only.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="children",
        help_text="The court a service point or tribunal belongs to.",
    )

    class Meta:
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="court") | models.Q(court_code__isnull=False),
                name="court_has_code",
            )
        ]

    def __str__(self):
        return self.name


class User(MaskedContactMixin, AbstractUser):
    real_name = models.CharField(_("real name"), max_length=100, blank=True, help_text="Name on the identity document.")
    id_number = EncryptedTextField(
        _("ID number"), blank=True, default="", help_text="身份证号, GB 11643-checked; encrypted at rest."
    )
    id_number_index = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False,
        help_text="Keyed blind index of the ID number for exact lookup without decryption.",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text="Mobile number for notifications.")

    class Meta:
        verbose_name = _("user")

    def __str__(self):
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class Membership(models.Model):
    """A user's standing role in an organisation (a judge of 宝安法院, a lawyer of a firm, a prison officer)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", help_text="Who.")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="memberships", help_text="Where."
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, help_text="In what capacity.")

    class Meta:
        verbose_name = _("membership")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"
