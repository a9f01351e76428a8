"""/livez/ and /healthz/: probes for container HEALTHCHECKs, orchestrators and proxies, and the
page visitors get while the database is away.

/livez/ answers 200 while the process serves, whatever the database does: it is the image's
HEALTHCHECK, swarm's health gate and Kubernetes' liveness probe, which replace a container that
fails it. Replacing every replica because the database went away would only turn 503 pages
into 502s and a crash loop. (A process that starts without a database still stops at start-up,
bfportal/startup.py.) /healthz/ answers 200 when the database answers too, 503 otherwise: the
readiness of Kubernetes' probe, and of anyone who asks. Both say which release answers (the
image's VERSION build argument), so a rolling update can be followed replica by replica.
"""

import os
import sys

from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

LIVE_PATH = "/livez/"
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


def server_error(request) -> HttpResponse:
    """handler500: for an error of the database's connection (it is away, or going), a 503 page
    that asks visitors to come back shortly; for any other error, Django's 500 page."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return django_server_error(request)
    page = loader.get_template("503.html").render()
    return HttpResponse(page, status=503, headers={"Retry-After": "30"})


class HealthCheckMiddleware:
    """Answers the probes ahead of every other middleware.

    A probe comes over plain HTTP to 127.0.0.1 from inside the container: SecurityMiddleware
    would redirect it to HTTPS and CommonMiddleware would reject its Host header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == LIVE_PATH:
                return JsonResponse({"status": "ok", "version": VERSION})
            if request.path == HEALTH_PATH:
                return health_response()
        return self.get_response(request)
