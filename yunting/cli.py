"""The `yunting` console script: a thin front for the management commands.

`yunting serve|demo|init|check|token|…` runs the management command of the same name (`check` maps to
`selfcheck`, since Django owns `check`). Any other Django command works too: `yunting migrate`.
"""

import os
import sys

ALIASES = {"check": "selfcheck", "filing-key": "filing_key"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(["yunting", *argv[1:]])


if __name__ == "__main__":
    main()
