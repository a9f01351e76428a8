"""Replace Wagtail's default welcome page with a HomePage that explains this starter."""

import json

from django.db import migrations
from django.utils import timezone

HERO_TITLE = "Your Wagtail site starts here"
HERO_TEXT = (
    "bfportal is a Wagtail starter built around its container image: small, free of Node "
    "and build tools, and proven so by tests. Replace this text in the admin and make it yours."
)
BODY = [
    {"type": "heading", "value": "What this starter gives you"},
    {
        "type": "paragraph",
        "value": (
            "<ul>"
            "<li>Wagtail 7.4 LTS on Django 5.2 LTS, with page types for this home page, "
            "ordinary content pages and search.</li>"
            "<li>Tailwind CSS v4, built by npm in development and minified into the image.</li>"
            "<li>A multi-stage Dockerfile whose production stage holds no Node, no compilers "
            "and no Poetry, runs as a non-root user and reports its health.</li>"
            "<li>Tests for the site, the image and the browser, run by <code>make test</code>.</li>"
            "</ul>"
        ),
    },
    {"type": "heading", "value": "Start developing"},
    {
        "type": "paragraph",
        "value": (
            "<p>Run <code>make dev</code> to start the development stack with live reload, "
            "then sign in to the admin to edit this page. <code>make help</code> lists every "
            "command; the README explains each file.</p>"
        ),
    },
    {
        "type": "call_to_action",
        "value": {
            "title": "Edit this page",
            "text": "Everything you see here is content: change it in Wagtail's admin.",
            "button_text": "Open the admin",
            "page": None,
            "url": "/admin/",
        },
    },
]


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    # wagtailcore's own migration created a plain "Welcome" Page at depth 2 and a Site
    # pointing to it; deleting the page deletes that Site too.
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()

    homepage_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    now = timezone.now()
    homepage = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=homepage_type,
        locale=Locale.objects.order_by("pk").first(),
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        first_published_at=now,
        last_published_at=now,
        hero_title=HERO_TITLE,
        hero_text=HERO_TEXT,
        body=json.dumps(BODY),
    )
    Site.objects.create(
        hostname="localhost",
        port=80,
        site_name="bfportal",
        root_page=homepage,
        is_default_site=True,
    )


def remove_homepage(apps, schema_editor):
    HomePage = apps.get_model("home.HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_homepage, remove_homepage),
    ]
