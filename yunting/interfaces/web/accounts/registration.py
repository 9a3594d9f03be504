"""Real-name registration of parties and lawyers: the rules, kept out of the views.

A person gives a username, their real name, their resident ID number (GB 11643 checksum; one account per
number), a mainland mobile number proven by a one-time SMS code, and a password twice. Every problem is
reported at once, field by field; the account exists only if all is well, and it is created in the same
transaction that uses the code up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yunting.core.people.models import User
from yunting.core.people.services import user_create, user_find_by_id_number
from yunting.kernel.common.errors import ApplicationError, ValidationFailed
from yunting.kernel.notify.models import PhoneVerification
from yunting.kernel.notify.phones import phone_normalize
from yunting.kernel.notify.services import otp_consume, otp_issue, otp_verify
from yunting.kernel.security.identifiers import IdentifierError, ric_validate

PURPOSE = "register"
FIELDS = ("username", "real_name", "id_number", "phone", "code", "password1", "password2")
REAL_NAME_MAX = 100


@dataclass(frozen=True)
class RegistrationInput:
    username: str = ""
    real_name: str = ""
    id_number: str = ""
    phone: str = ""
    code: str = ""
    password1: str = field(default="", repr=False)
    password2: str = field(default="", repr=False)

    @classmethod
    def from_post(cls, post) -> RegistrationInput:
        values = {name: post.get(name, "") for name in FIELDS}
        return cls(**{k: (v if k.startswith("password") else v.strip()) for k, v in values.items()})


class RegistrationInvalid(ValidationFailed):
    """Every problem at once: `errors` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(_("Please correct the marked fields."), code="registration_invalid",
                         data={"errors": errors})

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.data["errors"]


def registration_code_send(*, phone: str) -> PhoneVerification:
    """Send a registration code to `phone` (cooldown and hourly limits apply; see otp_issue)."""
    return otp_issue(phone=phone, purpose=PURPOSE)


def _id_number_taken() -> str:
    return _("An account with this ID number already exists. Sign in, or contact the court if it is not yours.")


def _check(data: RegistrationInput) -> tuple[dict[str, list[str]], PhoneVerification | None]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message) -> None:
        errors.setdefault(name, []).append(str(message))

    if not data.username:
        add("username", _("Choose a username."))
    else:
        try:
            UnicodeUsernameValidator()(data.username)
        except ValidationError as exc:
            for message in exc.messages:
                add("username", message)
        if len(data.username) > 150:
            add("username", _("A username has at most 150 characters."))
        elif User.objects.filter(username__iexact=data.username).exists():
            add("username", _("This username is already taken."))

    if not data.real_name:
        add("real_name", _("Enter your real name as it is on your ID card."))
    elif len(data.real_name) > REAL_NAME_MAX:
        add("real_name", _("A name has at most 100 characters."))

    if not data.id_number:
        add("id_number", _("Enter your ID number."))
    else:
        try:
            ric_validate(data.id_number)
        except IdentifierError as exc:
            add("id_number", exc)
        else:
            if user_find_by_id_number(data.id_number) is not None:
                add("id_number", _id_number_taken())

    phone = ""
    try:
        phone = phone_normalize(data.phone)
    except ValidationFailed as exc:
        add("phone", exc.message)

    verification = None
    if not data.code:
        add("code", _("Enter the 6-digit code sent to your phone."))
    elif phone:  # checked even when other fields are wrong, so every problem shows at once
        try:
            verification = otp_verify(phone=phone, purpose=PURPOSE, code=data.code)
        except ValidationFailed as exc:
            add("code", exc.message)

    if not data.password1:
        add("password1", _("Choose a password."))
    else:
        try:
            password_validation.validate_password(
                data.password1, user=User(username=data.username, real_name=data.real_name))
        except ValidationError as exc:
            for message in exc.messages:
                add("password1", message)
        if data.password1 != data.password2:
            add("password2", _("The two passwords do not match."))
    return errors, verification


def registration_submit(*, data: RegistrationInput) -> User:
    """Create the account of a person registering themselves, or raise RegistrationInvalid with every problem.

    Call outside a transaction: a wrong code is counted in its own (see otp_verify). The user is created and
    the code used up in one transaction, so a failure leaves neither."""
    errors, verification = _check(data)
    if errors or verification is None:
        raise RegistrationInvalid(errors or {"code": [_("Enter the 6-digit code sent to your phone.")]})
    try:
        with transaction.atomic():
            otp_consume(verification=verification)
            return user_create(
                username=data.username, password=data.password1, real_name=data.real_name,
                id_number=data.id_number, phone=phone_normalize(data.phone),
            )
    except IntegrityError:  # someone registered the same ID number a moment ago (unique blind index)
        raise RegistrationInvalid({"id_number": [_id_number_taken()]}) from None
    except ApplicationError as exc:  # the username or the code was taken a moment ago
        name = "username" if exc.code == "username_taken" else exc.data.get("field", "code")
        raise RegistrationInvalid({name: [str(exc.message)]}) from None
