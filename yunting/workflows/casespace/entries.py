"""Entry kinds of the case space (案件空间), and the contract other workflows use to post into a space.

Every message, voice message, file and card is a core/threads item (`threads.item_posted`, purpose
`casespace`, appended on the space's lead case): immutable, filtered, numbered. Moderation acts are entries of
their own, so the record shows who was muted, why and for how long, and a removal hides nothing.

## Contract: `casespace.card_wanted` (appended by another workflow on a case)

    journal_append(case=case, kind="casespace.card_wanted", actor=judge, payload={
        "card": "delivery" | "poll" | "payout" | "broadcast" | "notice",
        "title": "送达：民事判决书",            # ≤ 200 characters, shown on the card
        "url": "/delivery/12/",               # a relative link to the poster's own page (starts with "/", not "//")
        "user_ids": [31, 32] | None,          # who sees the card; None (or absent) = every member of the space
    })

After commit this app (subscriber `casespace.subscriptions.on_card_wanted`, idempotent per entry) ensures the
case's space, posts an immutable item of kind `card` (`data` = the payload, `data.entry` = the entry id) and
pushes `{"type": "card", "id", "card", "title", "url", "at"}` over `/ws/spaces/{id}/` to those users who are
members. A payload that breaks the contract (unknown card, empty title, absolute url, ids not numbers) is
ignored and logged: it never fails the poster's act. user_ids that are not members are dropped.
"""

CARD_WANTED = "casespace.card_wanted"
CARD_KINDS = ("delivery", "poll", "payout", "broadcast", "notice")

OPENED = "casespace.opened"  # {space_id, case_ids, kind}
CASES_ADDED = "casespace.cases_added"  # {space_id, case_ids} — a group space takes more cases
MEMBER_MUTED = "casespace.member_muted"  # {space_id, user_id, minutes, until, reason}
MEMBER_UNMUTED = "casespace.member_unmuted"  # {space_id, user_id}
ALL_MUTED = "casespace.all_muted"  # {space_id, muted: bool, reason}
NOTICE_PINNED = "casespace.notice_pinned"  # {space_id, item_id}
MEMBER_REMOVED = "casespace.member_removed"  # {space_id, user_id, reason}
TRANSCRIPT_FILED = "casespace.transcript_filed"  # {space_id, items, reason} + the PDF (e-file document)

PURPOSE = "casespace"  # core/threads purpose of a space's thread
