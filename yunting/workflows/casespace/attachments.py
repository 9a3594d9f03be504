"""Voice messages and files in a space: taken in only through the one checked intake (core/efile/intake, purpose
`casespace`). The upload is received in the request; when its check accepts it, `space_upload_accepted` (the
intake's handler, in the accepting transaction) checks the poster may still speak, measures a voice message
(≤ 60 s, by its packets' timestamps, not what the browser claims) and posts the item; a refusal here refuses the
upload and its bytes are deleted."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from yunting.core.efile.intake import upload_receive
from yunting.kernel.common.errors import ValidationFailed

from .models import Attachment, Space

PURPOSE = "casespace"
VOICE_MAX_S = 60
VOICE_MAX_BYTES = 3 * 1024 * 1024
VOICE_TYPES = ("audio/", "video/webm")  # a browser's MediaRecorder audio may be sniffed as WebM video


def audio_duration_s(data: bytes) -> float:
    """Seconds of audio, from the last packet's timestamp (a MediaRecorder WebM has no duration header)."""
    import av

    try:
        with av.open(io.BytesIO(data)) as container:
            streams = [s for s in container.streams if s.type == "audio"]
            if not streams:
                raise ValidationFailed(_("A voice message must be a sound recording."), code="space_voice_type")
            stream, end = streams[0], 0.0
            for packet in container.demux(stream):
                if packet.pts is not None and packet.time_base is not None:
                    end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            return end
    except ValidationFailed:
        raise
    except Exception:
        raise ValidationFailed(_("The recording could not be read."), code="space_voice_unreadable") from None


def space_upload(*, space: Space, user, stream, kind: str):
    """Receive a voice message or a file for the space (refused at once when muted or removed)."""
    from .services import _speaker

    if kind not in (Attachment.Kind.VOICE, Attachment.Kind.FILE):
        raise ValidationFailed(_("Choose a voice message or a file."), code="space_upload_kind", data={"field": "kind"})
    _speaker(space, user)
    if kind == Attachment.Kind.VOICE and (getattr(stream, "size", 0) or 0) > VOICE_MAX_BYTES:
        raise ValidationFailed(_("A voice message is at most %(s)d seconds.") % {"s": VOICE_MAX_S},
                               code="space_voice_too_long", data={"max_s": VOICE_MAX_S})
    return upload_receive(streams=[stream], purpose=PURPOSE, user=user, subject=f"space:{space.pk}",
                          intent={"space_id": space.pk, "kind": kind,
                                  "filename": (getattr(stream, "name", "") or "")[:255]})


def space_upload_accepted(upload) -> dict:
    """Intake handler (purpose casespace): the checked upload becomes an Attachment and an item of the space."""
    from yunting.core.threads.services import thread_post
    from yunting.kernel.blobs.store import blob_read

    from .services import _party_of, _speaker

    intent = upload.intent or {}
    space = Space.objects.select_related("thread", "lead_case").filter(pk=intent.get("space_id")).first()
    if space is None or upload.user_id is None:
        raise ValidationFailed(_("The space no longer exists."), code="space_upload_space")
    member = _speaker(space, upload.user)
    kind = intent.get("kind")
    duration = None
    if kind == Attachment.Kind.VOICE:
        if not upload.mime_type.startswith(VOICE_TYPES):
            raise ValidationFailed(_("A voice message must be a sound recording."), code="space_voice_type")
        seconds = audio_duration_s(blob_read(upload.sha256))
        if seconds > VOICE_MAX_S + 0.5:
            raise ValidationFailed(_("A voice message is at most %(s)d seconds.") % {"s": VOICE_MAX_S},
                                   code="space_voice_too_long", data={"max_s": VOICE_MAX_S})
        duration = max(1, round(seconds))
    att = Attachment.objects.create(space=space, kind=kind, upload=upload, sha256=upload.sha256,
                                    mime_type=upload.mime_type, filename=intent.get("filename", "")[:255],
                                    size=upload.size, duration_s=duration)
    text = (_("Voice message (%(s)d s)") % {"s": duration}) if duration else (att.filename or _("File"))
    item = thread_post(thread=space.thread, author=upload.user, author_label=member.label,
                       party=_party_of(space, upload.user), kind=kind, text=text, visibility="all",
                       data={"space_id": space.pk, "attachment_id": att.pk, "sha256": att.sha256,
                             "filename": att.filename, "mime_type": att.mime_type, "size": att.size,
                             "duration_s": duration}, case=space.lead_case)
    Attachment.objects.filter(pk=att.pk).update(item=item)
    return {"space_id": space.pk, "attachment_id": att.pk, "item_id": item.pk}
