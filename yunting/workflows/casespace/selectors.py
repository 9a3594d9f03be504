"""Reads of the case space. A space is seen by its members only; for everyone else — another case's party, a
court officer outside the case, a removed member on the API — it answers SpaceNotFound (404), the same as a space
that does not exist, with the same queries."""

from __future__ import annotations

from django.utils import timezone

from yunting.core.cases.access import _case_pk
from yunting.core.cases.models import Participation
from yunting.core.threads.models import Item, ReadMark

from .errors import SpaceNotFound, SpaceNotOpened
from .models import Attachment, Member, Space, SpaceCase
from .services import ROLE_OF, member_muted


def space_get_for(user, space_id, *, allow_removed: bool = False) -> tuple[Space, Member]:
    """The space and the caller's membership (removed members only with allow_removed: their page says why)."""
    pk = _case_pk(space_id)
    uid = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    member = (Member.objects.select_related("user", "space", "space__lead_case", "space__thread", "space__pinned_item")
              .filter(space_id=pk, user_id=uid or 0).first())
    if member is None or (member.removed_at is not None and not allow_removed):
        raise SpaceNotFound()
    return member.space, member


def space_case_state(user, case_id) -> tuple[Space | None, bool]:
    """(the case's space or None, whether the caller takes part in the case in a member role)."""
    pk = _case_pk(case_id)
    uid = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    link = SpaceCase.objects.select_related("space").filter(case_id=pk).first()
    takes_part = Participation.objects.filter(case_id=pk, user_id=uid or 0, role__in=list(ROLE_OF)).exists()
    return (link.space if link else None), takes_part


def space_of_case_for(user, case_id) -> tuple[Space, Member]:
    """The case's space and the caller's membership, for a read: nothing is created or joined here. Someone who
    takes part in the case but is not in its space yet gets SpaceNotOpened (`services.space_open` opens it);
    anyone else, and a removed member, SpaceNotFound."""
    space, takes_part = space_case_state(user, case_id)
    uid = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    in_space = space is not None and Member.objects.filter(space=space, user_id=uid or 0).exists()
    if takes_part and not in_space:
        raise SpaceNotOpened()
    if space is None:
        raise SpaceNotFound()
    return space_get_for(user, space.pk)


def space_members(space: Space) -> list[dict]:
    now = timezone.now()
    order = {r: i for i, r in enumerate(["judge", "assistant", "clerk", "lawyer", "party"])}
    members = sorted(Member.objects.filter(space=space, removed_at__isnull=True).select_related("user"),
                     key=lambda m: (order.get(m.role, 9), m.pk))
    return [{"user_id": m.user_id, "name": getattr(m.user, "display_name", "") or str(m.user), "label": m.label,
             "role": m.role, "role_label": str(m.get_role_display()), "muted": member_muted(space, m, now),
             "muted_until": m.muted_until if m.muted_until and m.muted_until > now else None,
             "mute_reason": m.mute_reason, "court_side": m.court_side} for m in members]


def card_visible(item: Item, member: Member) -> bool:
    ids = (item.data or {}).get("user_ids")
    return member.court_side or item.kind != "card" or ids is None or member.user_id in ids


def space_items(space: Space, member: Member, *, limit: int = 200) -> list[Item]:
    """The latest items the member may see, oldest first."""
    items = Item.objects.filter(thread=space.thread).order_by("-seq")
    rows = [i for i in items[: limit * 2] if card_visible(i, member)][:limit]  # JSON containment is not portable
    return list(reversed(rows))


def read_marks(space: Space) -> dict[int, int]:
    return dict(ReadMark.objects.filter(thread=space.thread).values_list("user_id", "last_seq"))


def attachments_by_item(items: list[Item]) -> dict[int, Attachment]:
    return {a.item_id: a for a in Attachment.objects.filter(item_id__in=[i.pk for i in items])}


def attachment_for(space: Space, attachment_id) -> Attachment:
    att = Attachment.objects.filter(space=space, pk=_case_pk(attachment_id), item__isnull=False).first()
    if att is None:
        raise SpaceNotFound()
    return att


def spaces_for(user) -> list[Space]:
    return list(Space.objects.filter(members__user=user, members__removed_at__isnull=True).order_by("-id"))


def item_message(item: Item, attachment: Attachment | None = None) -> dict:
    """What a socket (and the page's script) receives for an item (docs/ROOMS.md, case spaces)."""
    at = item.created_at.isoformat()
    if item.kind == "card":
        d = item.data or {}
        return {"type": "card", "id": item.pk, "seq": item.seq, "card": d.get("card"), "title": item.text,
                "url": d.get("url"), "at": at}
    if item.kind == "notice":
        return {"type": "notice", "id": item.pk, "seq": item.seq, "from": item.author_id, "name": item.author_label,
                "text": item.text, "at": at}
    msg = {"type": "message", "id": item.pk, "seq": item.seq, "from": item.author_id, "name": item.author_label,
           "text": item.text, "at": at, "kind": "text"}
    if item.kind in ("voice", "file"):
        d = item.data or {}
        msg.update(kind=item.kind, url=f"/spaces/{d.get('space_id')}/attachments/{d.get('attachment_id')}/",
                   filename=d.get("filename", ""), mime_type=d.get("mime_type", ""),
                   duration_s=d.get("duration_s"), size=d.get("size"))
    return msg
