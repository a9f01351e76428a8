"""The site's URLs and /probe/, whose view raises while it holds the request's password and the
settings' secrets in its variables."""

from django.conf import settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def fail(request):
    password = request.POST["password"]
    secret_key, database_url = settings.SECRET_KEY, settings.DATABASE_URL
    raise RuntimeError(f"the probe failed ({len(password + secret_key + database_url)})")


urlpatterns = [path("probe/", fail), path("", include("bfportal.urls"))]
