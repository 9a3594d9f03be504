"""`yunting init` in a script (no terminal): a clear message and exit status 2, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path


def test_init_without_a_terminal_asks_for_password_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "YUNTING_TASKS_IMMEDIATE", "YUNTING_ADMIN_PASSWORD")}
    env["YUNTING_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([str(Path(sys.executable).parent / "yunting"), "init", "--admin", "root"], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "--password" in done.stderr and "YUNTING_ADMIN_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr
