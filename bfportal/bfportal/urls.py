import posixpath

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import get_document_model
from wagtail.documents import urls as wagtaildocs_urls

from bfportal import limits
from search import views as search_views

# Where Wagtail stores document files, below MEDIA_ROOT ("documents").
DOCUMENTS_FOLDER = get_document_model()._meta.get_field("file").upload_to


def media(request, path):
    """Uploads in MEDIA_ROOT, read per request. Documents are left out: Wagtail's document
    view serves them, with the privacy of their collection and as attachments."""
    # As serve() resolves it: "images/../documents/x" is a document too.
    if posixpath.normpath(path).lstrip("/").startswith(f"{DOCUMENTS_FOLDER}/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the pages link. Temporary redirect:
    in production the file's name carries a hash of its content, which changes with it."""
    return redirect(static("img/favicon.ico"))


# A 503 page while the database is away, Django's 500 page otherwise (bfportal/health.py).
handler500 = "bfportal.health.server_error"

urlpatterns = [
    # Ahead of Wagtail's admin, which serves the same view at this path without the limits.
    path("admin/password_reset/", limits.password_reset(account.PasswordResetView.as_view())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", limits.search(search_views.search), name="search"),
    # Every live, public page of the site the request is for.
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots_txt",
    ),
    path("favicon.ico", favicon, name="favicon"),
]

if settings.DJANGO_ADMIN:
    urlpatterns.insert(0, path("django-admin/", admin.site.urls))

if settings.SERVE_MEDIA:
    # Uploads in MEDIA_ROOT, served by Django: the image has no other web server.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", media))

if "django_browser_reload" in settings.INSTALLED_APPS:
    urlpatterns.append(path("__reload__/", include("django_browser_reload.urls")))

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns.append(path("", include(wagtail_urls)))
