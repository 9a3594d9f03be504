import pytest

from yunting.core.rooms.sdp import sdp_block_sending, sdp_sends


def sdp(*sections):
    lines = ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0"]
    for kind, direction in sections:
        lines += [f"m={kind} 9 UDP/TLS/RTP/SAVPF 96", "a=mid:x"] + ([f"a={direction}"] if direction else [])
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(("sections", "audio", "video", "expect"), [
    ([("audio", "sendrecv"), ("video", "sendrecv")], True, False, [("audio", "recvonly"), ("video", "sendrecv")]),
    ([("audio", "sendonly"), ("video", "sendrecv")], True, False, [("audio", "inactive"), ("video", "sendrecv")]),
    ([("audio", "recvonly"), ("video", "sendrecv")], True, False, [("audio", "recvonly"), ("video", "sendrecv")]),
    ([("audio", "sendrecv"), ("video", "sendrecv")], False, True, [("audio", "sendrecv"), ("video", "recvonly")]),
    ([("audio", "sendrecv"), ("video", "sendonly")], True, True, [("audio", "recvonly"), ("video", "inactive")]),
    ([("audio", None), ("video", None)], True, False, [("audio", "recvonly"), ("video", None)]),  # no attr = sendrecv
    ([("audio", "sendrecv"), ("audio", "sendrecv")], True, False, [("audio", "recvonly"), ("audio", "recvonly")]),
])
def test_block_sending(sections, audio, video, expect):
    out = sdp_block_sending(sdp(*sections), audio=audio, video=video)
    assert out == sdp(*expect)
    assert out.endswith("\r\n")
    assert sdp_sends(out, "audio") is not audio or not any(k == "audio" for k, _ in sections)


def test_untouched_when_nothing_is_blocked():
    original = sdp(("audio", "sendrecv"), ("video", "sendrecv"))
    assert sdp_block_sending(original) == original
    assert sdp_sends(original, "audio") and sdp_sends(original, "video")
