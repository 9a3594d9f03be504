"""Server-side enforcement of mute and camera-off on WebRTC session descriptions (pure, table-tested).

In the browser mesh the media flows peer to peer, so the server cannot drop packets; what it controls is every
negotiation, because all offers and answers pass through it. For a muted participant the server rewrites each
audio section of the SDP they send so that it no longer offers to send: `sendrecv` → `recvonly`, `sendonly` →
`inactive`; for a camera turned off, the same on video sections. The receiving browser then negotiates a
transceiver that does not receive that track and plays nothing of it, whatever the muted client does. (With an
SFU, rooms.media also drops the packets at the SFU.)
"""

from __future__ import annotations

_DOWNGRADE = {"sendrecv": "recvonly", "sendonly": "inactive"}


def sdp_block_sending(sdp: str, *, audio: bool = False, video: bool = False) -> str:
    """The SDP with sending switched off in its audio (and/or video) media sections."""
    if not (audio or video) or not isinstance(sdp, str):
        return sdp
    eol = "\r\n" if "\r\n" in sdp else "\n"
    lines = sdp.split(eol)
    out: list[str] = []
    kind = None  # media kind of the current m= section, None in the session part
    section_has_direction = False
    for line in lines:
        if line.startswith("m="):
            if kind is not None and _blocked(kind, audio, video) and not section_has_direction:
                out.append("a=recvonly")  # no direction attribute means sendrecv (RFC 8866 §6.7)
            kind = line[2:].split(" ", 1)[0]
            section_has_direction = False
            out.append(line)
            continue
        if kind is not None and line.startswith("a=") and line[2:] in ("sendrecv", "sendonly", "recvonly", "inactive"):
            section_has_direction = True
            if _blocked(kind, audio, video):
                line = "a=" + _DOWNGRADE.get(line[2:], line[2:])
        out.append(line)
    if kind is not None and _blocked(kind, audio, video) and not section_has_direction:
        # keep a trailing empty line (SDP ends with CRLF) after the inserted attribute
        if out and out[-1] == "":
            out.insert(len(out) - 1, "a=recvonly")
        else:
            out.append("a=recvonly")
    return eol.join(out)


def _blocked(kind: str, audio: bool, video: bool) -> bool:
    return (kind == "audio" and audio) or (kind == "video" and video)


def sdp_sends(sdp: str, kind: str) -> bool:
    """Whether this SDP offers to send media of `kind` ("audio"/"video") in any section."""
    current, sends = None, False
    found_direction = False
    for line in (sdp or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            if current == kind and not found_direction:
                sends = True
            current, found_direction = line[2:].split(" ", 1)[0], False
        elif current is not None and line in ("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"):
            found_direction = True
            if current == kind and line in ("a=sendrecv", "a=sendonly"):
                sends = True
    if current == kind and not found_direction:
        sends = True
    return sends
