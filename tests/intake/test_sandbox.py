"""The sandboxed checkers hold their limits: memory, CPU time, wall-clock time; a worker that hit one is
replaced and the next check runs normally."""

import os

import pytest

from yunting.kernel.scan.sandbox import SandboxLimit, sandbox_run

T = "tests.intake.sandbox_targets"


@pytest.fixture
def limits(settings):
    settings.YUNTING_SCAN_MEMORY_MB = 600
    settings.YUNTING_SCAN_CPU_SECONDS = 3
    settings.YUNTING_SCAN_TIMEOUT_SECONDS = 6


def test_memory_cpu_and_time_are_bounded_and_the_pool_recovers(limits):
    assert sandbox_run(f"{T}:allocate", 50) == 50 * 1024 * 1024
    assert sandbox_run(f"{T}:allocate", 900) == SandboxLimit("memory")
    cpu = sandbox_run(f"{T}:spin", 30)
    assert isinstance(cpu, SandboxLimit) and cpu.kind in ("cpu", "timeout")
    assert sandbox_run(f"{T}:sleep", 30) == SandboxLimit("timeout", "6 s")
    assert sandbox_run(f"{T}:sleep", 0.1) == "woke"  # workers killed above were replaced
    assert sandbox_run(f"{T}:pid") != os.getpid()  # never the caller's own process


def test_a_stuck_check_is_retried_only_long_after(users, monkeypatch):
    import io
    from datetime import timedelta

    from django.utils import timezone

    from yunting.core.efile import intake
    from yunting.core.efile.models import Upload
    from yunting.kernel.pdf.make import simple_pdf

    enqueued = []
    monkeypatch.setattr(intake, "_enqueue_check", enqueued.append)
    upload = intake.upload_receive(streams=[io.BytesIO(simple_pdf(title="借条"))], purpose="filing",
                                   user=users["plaintiff"])
    assert enqueued == [upload.pk]
    assert intake.uploads_check_stuck() == 0
    Upload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert intake.uploads_check_stuck() == 1 and enqueued == [upload.pk, upload.pk]


def test_a_reused_worker_forgets_a_setting_the_caller_no_longer_has(settings):
    """A test (or a deployment changing settings at run time) that sets and then removes a setting must not leave
    it behind in the reused checker processes (it once left `neutralise` on for every later upload)."""
    settings.YUNTING_SCAN_WORKERS = 1
    settings.YUNTING_PDF_ACTIVE_CONTENT = "neutralise"
    assert sandbox_run(f"{T}:setting", "YUNTING_PDF_ACTIVE_CONTENT") == "neutralise"
    del settings.YUNTING_PDF_ACTIVE_CONTENT
    for _ in range(4):  # whichever worker takes it
        assert sandbox_run(f"{T}:setting", "YUNTING_PDF_ACTIVE_CONTENT") == "unset"
