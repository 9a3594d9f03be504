from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("service task", "Pending")
    IN_PROGRESS = "in_progress", pgettext_lazy("service task", "In progress")
    SERVED = "served", pgettext_lazy("service task", "Served")
    FAILED = "failed", pgettext_lazy("service task", "Failed")


class Channel(models.TextChoices):
    """The ways a document reaches a person; the API uses these names."""

    PORTAL = "portal", pgettext_lazy("service channel", "Platform account")
    SMS = "sms", pgettext_lazy("service channel", "SMS")
    EMAIL = "email", pgettext_lazy("service channel", "E-mail")
    PHONE = "phone", pgettext_lazy("service channel", "Telephone")
    POST = "post", pgettext_lazy("service channel", "Post (EMS)")
    DIRECT = "direct", pgettext_lazy("service channel", "In person")
    ANNOUNCEMENT = "announcement", pgettext_lazy("service channel", "Public announcement")
    # the case space (案件空间): the recipient opens the document in the case's group space and signs a receipt
    SPACE = "space", pgettext_lazy("service channel", "Case space")


# need consent (OLR art 29); the case space is part of the platform account, so consent to "portal" covers it
ELECTRONIC = frozenset({Channel.PORTAL, Channel.SMS, Channel.EMAIL, Channel.SPACE})
CONSENT_COVERS = {Channel.SPACE: frozenset({Channel.PORTAL, Channel.SPACE})}


def consent_covers(channel: str, consented) -> bool:
    """Does consent to the channels `consented` allow electronic service through `channel`?"""
    return bool(CONSENT_COVERS.get(channel, frozenset({channel})) & set(consented or ()))


class Outcome(models.TextChoices):
    DELIVERED = "delivered", pgettext_lazy("service outcome", "Delivered")
    READ = "read", pgettext_lazy("service outcome", "Read")
    FAILED = "failed", pgettext_lazy("service outcome", "Failed")
    REFUSED = "refused", pgettext_lazy("service outcome", "Refused")
    PUBLISHED = "published", pgettext_lazy("service outcome", "Published")
    # recorded by dispatch only, never accepted from outside: handed on (SMS/e-mail sent, letter posted)
    SENT = "sent", pgettext_lazy("service outcome", "Sent")


class ContactKind(models.TextChoices):
    PHONE = "phone", pgettext_lazy("contact kind", "Phone")
    EMAIL = "email", pgettext_lazy("contact kind", "E-mail")
    ADDRESS = "address", pgettext_lazy("contact kind", "Address")
    ACCOUNT = "account", pgettext_lazy("contact kind", "Platform account")


CHANNEL_CONTACT = {Channel.PORTAL: ContactKind.ACCOUNT, Channel.SMS: ContactKind.PHONE,
                   Channel.EMAIL: ContactKind.EMAIL, Channel.PHONE: ContactKind.PHONE,
                   Channel.POST: ContactKind.ADDRESS, Channel.DIRECT: ContactKind.ADDRESS}


class ContactSource(models.TextChoices):
    CASE_RECORD = "case_record", _("Case record")
    PLEADING = "pleading", _("Given in a pleading")
    OFFICER = "officer", _("Entered by a service officer")
    SERVICE = "service", _("Learned from a service attempt")
    DATA_REPAIR = "data_repair", _("Data repair")
    DATA_REPAIR_FAKE = "data_repair_fake", _("Data repair (fake)")


class ConsentForm(models.TextChoices):
    """The four forms of consent to electronic service OLR art 29 accepts."""

    EXPLICIT = "explicit", _("Explicit consent")
    PRIOR_AGREEMENT = "prior_agreement", _("Prior agreement or undertaking")
    PLEADING = "pleading", _("Address volunteered in a pleading")
    ACCEPTED_EARLIER = "accepted_earlier", _("Accepted an earlier electronic service")


class ConfirmedBy(models.TextChoices):
    """How the court confirmed consent and address (OLR art 30)."""

    PHONE = "phone", _("By telephone")
    PLATFORM = "platform", _("On the platform")
    FORM = "form", _("Offline confirmation form")
