#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that read the code only and sign nothing (no session, token or password reset): they
# need no secret key, so `manage.py makemigrations --check` works in a bare checkout under the
# production defaults. Every other command, and the web service, still refuses to start without one.
CODE_ONLY_COMMANDS = frozenset({"makemigrations"})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        os.environ.setdefault("DJANGO_SECRET_KEY", f"unused-by-{sys.argv[1]}-which-signs-nothing")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
