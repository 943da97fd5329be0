"""The ``coopcare`` command: Django's management commands, with coopcare's settings.

``coopcare stv FILE.blt`` is the one exception: it recounts an election with the pure
``coopcare.votecount`` package and is dispatched before Django is set up, so a member can run
it with no settings, database or secret key.
"""

import os
import sys


def main() -> None:
    """Run a management command, e.g. ``coopcare migrate`` or ``coopcare demo``."""
    if sys.argv[1:2] == ["stv"]:
        from coopcare.votecount.cli import main as stv

        sys.exit(stv(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopcare.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
