from django.db import transaction
from django.utils.translation import gettext as _

from yunting.kernel.common.errors import ValidationFailed
from yunting.kernel.security.fields import blind_index
from yunting.kernel.security.identifiers import IdentifierError, ric_validate

from .models import Membership, Organisation, User


def user_set_id_number(*, user: User, id_number: str) -> User:
    """Validate (GB 11643), encrypt and index a user's ID number."""
    try:
        number = ric_validate(id_number)
    except IdentifierError as exc:
        raise ValidationFailed(str(exc), code=exc.code, data={"field": "id_number"}) from None
    user.id_number = number
    user.id_number_index = blind_index(number)
    user.save(update_fields=["id_number", "id_number_index"])
    return user


@transaction.atomic
def user_create(
    *, username: str, password: str | None, real_name: str, id_number: str = "", phone: str = "",
    organisation: Organisation | None = None, role: str | None = None, is_staff: bool = False,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("This username is already taken."), code="username_taken", data={"username": username})
    user = User(username=username, real_name=real_name, phone=phone, is_staff=is_staff)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if id_number:
        user_set_id_number(user=user, id_number=id_number)
    if organisation and role:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def user_find_by_id_number(id_number: str) -> User | None:
    try:
        number = ric_validate(id_number)
    except IdentifierError:
        return None
    return User.objects.filter(id_number_index=blind_index(number)).first()
