"""Reactions to journal entries (after commit, once per entry; see core.journal.registry)."""

from __future__ import annotations

from .models import SpaceCase


def on_card_wanted(entry) -> None:
    """casespace.card_wanted (another workflow's contract, entries.py): a card in the case's space."""
    from .services import space_card_from_entry

    space_card_from_entry(entry)  # its threads.item_posted entry reaches the sockets (interfaces/realtime/spaces)


def on_participant_added(entry) -> None:
    """case.participant_added: the person joins the case's space, if the case has one."""
    from .services import members_sync

    link = SpaceCase.objects.select_related("space").filter(case_id=entry.case_id).first()
    if link is not None:
        members_sync(link.space)


def on_case_closed(entry) -> None:
    """case.closed (or a status change to closed): the space's transcript into the closing case's e-file."""
    if entry.kind == "case.status_changed" and (entry.payload or {}).get("to") != "closed":
        return
    link = SpaceCase.objects.select_related("space").filter(case_id=entry.case_id).first()
    if link is None:
        return
    from .transcript import space_transcript_file

    space_transcript_file(space=link.space, case=entry.case, actor=None, reason="closed", once=True)
