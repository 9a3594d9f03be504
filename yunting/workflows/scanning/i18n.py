"""This app's messages live under the gettext context "scanning", so short words (Record, Shelf, Filed) never
collide with another app's translation of the same English word."""

from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "scanning"


def _(message: str) -> str:
    return pgettext(CONTEXT, message)


def _lazy(message: str):
    return pgettext_lazy(CONTEXT, message)
