from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Activity(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    MEDIATION = "mediation", pgettext_lazy("room activity", "Mediation session")
    WITNESSING = "witnessing", _("Witnessing")
    TESTIMONY = "testimony", _("Testimony")


class RoomState(models.TextChoices):
    """open: created, the lobby is open, the session has not started; live: in session; paused: 休庭;
    closed: ended, nobody can join again."""

    OPEN = "open", _("Lobby open")
    LIVE = "live", _("In session")
    PAUSED = "paused", pgettext_lazy("room state", "Paused")
    CLOSED = "closed", pgettext_lazy("room state", "Closed")


class FileVolume(models.TextChoices):
    MAIN = "main", _("Main volume")
    SECONDARY = "secondary", _("Secondary volume")


# Where an activity's recording is filed: a hearing, witnessing or testimony is part of the main volume (正卷);
# mediation talk (caucuses included) is confidential and goes to the secondary volume (副卷).
VOLUME_BY_ACTIVITY = {
    Activity.HEARING: FileVolume.MAIN,
    Activity.WITNESSING: FileVolume.MAIN,
    Activity.TESTIMONY: FileVolume.MAIN,
    Activity.MEDIATION: FileVolume.SECONDARY,
}


class MediaBackend(models.TextChoices):
    MESH = "mesh", _("Browser peer-to-peer")
    JANUS = "janus", "Janus"
    LIVEKIT = "livekit", "LiveKit"


class Seat(models.TextChoices):
    """Seat names shown in the virtual courtroom (OLR: the courtroom shows seat names)."""

    PRESIDING_JUDGE = "presiding_judge", "审判长"
    JUDGE = "judge", "审判员"
    ASSESSOR = "assessor", "人民陪审员"
    CLERK = "clerk", "书记员"
    JUDGE_ASSISTANT = "judge_assistant", "法官助理"
    MEDIATOR = "mediator", "调解员"
    PLAINTIFF = "plaintiff", "原告"
    PLAINTIFF_AGENT = "plaintiff_agent", "原告代理人"
    DEFENDANT = "defendant", "被告"
    DEFENDANT_AGENT = "defendant_agent", "被告代理人"
    THIRD_PARTY = "third_party", "第三人"
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    WITNESS = "witness", "证人"
    APPRAISER = "appraiser", "鉴定人"
    INTERPRETER = "interpreter", "翻译人员"
    PROCURATOR = "procurator", "检察员"
    PRISONER = "prisoner", "服刑人员"
    PRISON_OFFICER = "prison_officer", "监管干警"
    PRINCIPAL = "principal", "授权人"


COURT_SEATS = frozenset({Seat.PRESIDING_JUDGE, Seat.JUDGE, Seat.ASSESSOR, Seat.CLERK, Seat.JUDGE_ASSISTANT,
                         Seat.MEDIATOR})


class ParticipantState(models.TextChoices):
    INVITED = "invited", _("Invited")
    LOBBY = "lobby", _("In the lobby")
    ADMITTED = "admitted", _("Admitted")
    BREAKOUT = "breakout", _("In a breakout room")
    REMOVED = "removed", _("Removed")
    LEFT = "left", _("Left")
    DROPPED = "dropped", _("Connection lost")


# In the room's media and messages (main room or a breakout): the only states that receive anything of the room.
PRESENT_STATES = frozenset({ParticipantState.ADMITTED, ParticipantState.BREAKOUT})
