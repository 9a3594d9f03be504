"""Hearing choices: stage kinds, forms, states, live stages, consent decisions, the seven OLR art-21 grounds."""

from django.db import models
from django.utils.translation import pgettext_lazy


class RoomKind(models.TextChoices):
    PHYSICAL = "physical", pgettext_lazy("hearings", "Physical courtroom")
    ONLINE = "online", pgettext_lazy("hearings", "Online courtroom")


class StageKind(models.TextChoices):
    """What the hearing is (one consent per party per stage kind and hearing: OLR art 4)."""

    PRETRIAL = "pretrial", pgettext_lazy("hearings", "Pre-trial meeting")
    TRIAL = "trial", pgettext_lazy("hearings", "Trial hearing")
    PRONOUNCEMENT = "pronouncement", pgettext_lazy("hearings", "Pronouncement")


class Form(models.TextChoices):
    ONLINE = "online", pgettext_lazy("hearings", "Online")
    OFFLINE = "offline", pgettext_lazy("hearings", "In court")
    HYBRID = "hybrid", pgettext_lazy("hearings", "Hybrid")


class HearingState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("hearings", "Requested")
    PROPOSED = "proposed", pgettext_lazy("hearings", "Proposed")
    VOTING = "voting", pgettext_lazy("hearings", "Voting")
    CONFIRMED = "confirmed", pgettext_lazy("hearings", "Confirmed")
    HELD = "held", pgettext_lazy("hearings", "Held")
    CANCELLED = "cancelled", pgettext_lazy("hearings", "Cancelled")


class LiveStage(models.TextChoices):
    """The stages a judge moves the hearing through (shown live in the room)."""

    NOT_STARTED = "", pgettext_lazy("hearings", "Not started")
    OPENING = "opening", pgettext_lazy("hearings", "Opening")
    IDENTITY = "identity", pgettext_lazy("hearings", "Identity check")
    INVESTIGATION = "investigation", pgettext_lazy("hearings", "Court investigation")
    EVIDENCE = "evidence", pgettext_lazy("hearings", "Evidence")
    DEBATE = "debate", pgettext_lazy("hearings", "Debate")
    FINAL_STATEMENTS = "final_statements", pgettext_lazy("hearings", "Final statements")
    MEDIATION = "mediation", pgettext_lazy("hearings", "Mediation")
    ENDED = "ended", pgettext_lazy("hearings", "Ended")


LIVE_STAGE_ORDER = [s.value for s in LiveStage if s.value]


class ConsentDecision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("hearings", "Not answered")
    CONSENTED = "consented", pgettext_lazy("hearings", "Consents to online")
    REFUSED = "refused", pgettext_lazy("hearings", "Attends in court")
    WITHDRAWN = "withdrawn", pgettext_lazy("hearings", "Consent withdrawn")


class Art21Ground(models.TextChoices):
    """人民法院在线诉讼规则 第二十一条: the seven situations in which a hearing is not held online."""

    OBJECTION = "1", "（一）双方当事人不同意，或者一方当事人不同意且有正当理由的"
    NO_MEANS = "2", "（二）双方当事人均不具备参与在线庭审的技术条件和能力的"
    IN_PERSON_CHECK = "3", "（三）需要通过庭审现场查明身份、核对原件、查验实物的"
    COMPLEX = "4", "（四）案件疑难复杂、证据繁多，适用在线庭审不利于查明事实和适用法律的"
    SECRETS = "5", "（五）案件涉及国家安全、国家秘密的"
    PUBLIC_IMPACT = "6", "（六）案件具有重大社会影响，受到广泛关注的"
    OTHER = "7", "（七）人民法院认为存在其他不宜适用在线庭审情形的"
