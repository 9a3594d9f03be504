from .models import JournalEntry


def journal_for_case(case, *, newest_first: bool = False):
    qs = JournalEntry.objects.filter(case=case).select_related("actor")
    return qs.order_by("-seq") if newest_first else qs.order_by("seq")
