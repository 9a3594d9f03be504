"""Loaded with `-p` before Django's settings: every test run gets its own throw-away data directory.

Jobs run immediately in tests unless a test picks a backend itself (the RQ leg does).
"""

import os
import tempfile

os.environ.setdefault("YUNTING_DATA_DIR", tempfile.mkdtemp(prefix="yunting-test-"))
os.environ.setdefault("YUNTING_TASKS_IMMEDIATE", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
