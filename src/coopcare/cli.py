"""The ``coopcare`` command: Django's management commands, with coopcare's settings."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. ``coopcare migrate`` or ``coopcare demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopcare.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
