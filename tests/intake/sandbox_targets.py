"""Functions the sandbox tests run in the child processes (importable there by name)."""

import os
import time


def allocate(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def spin(seconds: float) -> int:
    end, n = time.process_time() + seconds, 0
    while time.process_time() < end:
        n += 1
    return n


def pid() -> int:
    return os.getpid()


def setting(name: str):
    from django.conf import settings

    return getattr(settings, name, "unset")
