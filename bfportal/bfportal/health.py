"""/healthz/: a liveness-and-readiness probe for container HEALTHCHECKs and orchestrators.

It also says which release answers (the image's VERSION build argument), so a rolling
update can be followed replica by replica.
"""

import os

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse

HEALTH_PATH = "/healthz/"
VERSION = os.environ.get("APP_VERSION", "dev")


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def health_response() -> JsonResponse:
    if database_answers():
        return JsonResponse({"status": "ok", "version": VERSION})
    return JsonResponse(
        {"status": "unavailable", "database": "unreachable", "version": VERSION}, status=503
    )


class HealthCheckMiddleware:
    """Answers the probe ahead of every other middleware.

    A probe comes over plain HTTP to 127.0.0.1 from inside the container: SecurityMiddleware
    would redirect it to HTTPS and CommonMiddleware would reject its Host header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
