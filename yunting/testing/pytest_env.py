"""Loaded with `-p` before Django's settings: every test process gets its own throw-away data directory
(each xdist worker too, so one worker's blobs never meet another's).

Jobs run immediately in tests unless a test picks a backend itself (the RQ leg does).
"""

import os
import tempfile

# Never the deployment's own directory, even when YUNTING_DATA_DIR is set in the shell.
worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
os.environ["YUNTING_DATA_DIR"] = tempfile.mkdtemp(prefix=f"yunting-test-{worker}-")
os.environ.setdefault("YUNTING_TASKS_IMMEDIATE", "1")
# Leaves appended in the writer's transaction on both databases: most tests run inside a transaction that never
# commits, so the queued path's after-commit sequencer would never run. tests/ledger/test_sequencer.py runs the
# queued path (the PostgreSQL default) with real commits and real processes.
os.environ.setdefault("YUNTING_LEDGER_SEQUENCER", "inline")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
