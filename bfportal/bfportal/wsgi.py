"""WSGI entry point for gunicorn: production settings unless DJANGO_SETTINGS_MODULE is set.

A bad setting or an unreachable database stops the server with one line naming the variable.
"""

from bfportal.startup import load_application

application = load_application()
