#!/usr/bin/env python
"""Django's command-line utility: development settings unless DJANGO_SETTINGS_MODULE is set."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bfportal.settings.dev")
    from django.core.management import execute_from_command_line

    from bfportal.settings.env import SettingsError

    try:
        execute_from_command_line(sys.argv)
    except SettingsError as error:
        # A bad setting is the operator's to fix: one line naming it, not a traceback.
        sys.exit(f"bfportal: {error}")


if __name__ == "__main__":
    main()
