"""Settings shared by every environment. Environment-specific modules import * from here."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from .env import SettingsError, env_bool, env_fraction, env_int, env_list, env_secret, env_str
from .storage import media_origin

# bfportal/bfportal: the project package; bfportal/: what the image copies to /app.
PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
SECRET_KEY = env_secret("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Django's own admin at /django-admin/: Wagtail's at /admin/ does the editors' work, so it is
# left off, one login page fewer to guess at, unless DJANGO_ADMIN=true.
DJANGO_ADMIN = env_bool("DJANGO_ADMIN", default=False)

INSTALLED_APPS = [
    "home",
    "search",
    "theme",
    "tailwind",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_ratelimit",
    # System checks of the CONTENT_SECURITY_POLICY setting.
    "csp",
    # The sitemap.xml template that Wagtail's sitemap view renders.
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First, so that probes from inside the container (plain HTTP, Host 127.0.0.1)
    # are answered before the SSL redirect and the ALLOWED_HOSTS check.
    "bfportal.health.HealthCheckMiddleware",
    # gunicorn's access log line names the logged-in user (bfportal/logs.py).
    "bfportal.logs.UserIdMiddleware",
    # The full-page cache (bfportal/page_cache.py): it stores what every middleware below made,
    # and on a hit the last one answers before the view.
    "bfportal.page_cache.PageCacheMiddleware",
    "wagtailcache.cache.UpdateCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "bfportal.content_security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Serves /static/ from STATIC_ROOT with hashed names and compression in production.
    # https://whitenoise.readthedocs.io/en/stable/django.html
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # After every other but the page cache's (which answers only anonymous GETs), as
    # django-axes asks: turns a locked-out login into its 429 response.
    "axes.middleware.AxesMiddleware",
    # Turns a request past a limit of bfportal/limits.py into the 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as wagtail-cache asks: the user is known by now, and a logged-in one is not served
    # from the cache.
    "wagtailcache.cache.FetchFromCacheMiddleware",
]

# ---------------------------------------------------------------------------
# Metrics for Prometheus: served by gunicorn on METRICS_PORT, a port the proxy does not route
# (bfportal/metrics.py); 0 turns them off. The database and cache backends count their calls
# either way. https://github.com/django-commons/django-prometheus
# ---------------------------------------------------------------------------
METRICS_PORT = env_int("METRICS_PORT", 9100)
if METRICS_PORT:
    INSTALLED_APPS.append("django_prometheus")
    # After the health check (probes are not visitors), and before the page cache's answer,
    # so that hits are counted too.
    MIDDLEWARE.insert(1, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    MIDDLEWARE.insert(-1, "django_prometheus.middleware.PrometheusAfterMiddleware")

ROOT_URLCONF = "bfportal.urls"
WSGI_APPLICATION = "bfportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite in a data directory that can be a volume, unless DATABASE_URL says otherwise.
# ---------------------------------------------------------------------------
DATA_DIR = BASE_DIR / "data"
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
try:
    # Each thread keeps its connection for a minute, checked before reuse: after a database
    # restart the first request opens a new one instead of failing on the dead one.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
except ValueError as error:
    reason = str(error).split(". ", 1)[0]
    raise SettingsError(
        f"DATABASE_URL is malformed ({reason}): use e.g. postgres://user:pass@host:5432/name "
        "or sqlite:////absolute/path/db.sqlite3"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fails fast for a moment after a failed connection (bfportal/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "bfportal.postgresql"
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # A server that accepts the connection and never answers would otherwise hang a worker
    # (and the start-up wait) for ever. libpq's smallest timeout is 2 s.
    options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    # Nothing holds a thread for ever (seconds; 0: no bound): a statement, a wait for a lock (a
    # migration's, say), a transaction left open. `migrate` lifts the statement bound.
    bounds = {
        "statement_timeout": env_int("DATABASE_STATEMENT_TIMEOUT", 30),
        "lock_timeout": env_int("DATABASE_LOCK_TIMEOUT", 10),
        "idle_in_transaction_session_timeout": env_int("DATABASE_IDLE_TRANSACTION_TIMEOUT", 60),
    }
    options["options"] = " ".join(
        [options.get("options", ""), *(f"-c {name}={value}s" for name, value in bounds.items())]
    ).strip()
    # A peer gone without a word (a partitioned network) is noticed within about a minute.
    options.update(
        keepalives=1,
        keepalives_idle=env_int("DATABASE_KEEPALIVES_IDLE", 30),
        keepalives_interval=10,
        keepalives_count=3,
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Counts queries and their time for the metrics (django-prometheus).
    DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.sqlite3"
    # gunicorn's threads and workers share one file. A transaction takes the write lock when it
    # begins, so one that reads before it writes (publishing a page) waits for the others, up
    # to `timeout` seconds, instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
# A URL without a password takes POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE, a Docker secret).
if not DATABASES["default"].get("PASSWORD"):
    DATABASES["default"]["PASSWORD"] = env_secret("POSTGRES_PASSWORD")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Cache. With CACHE_URL (redis://HOST:6379/0: Valkey or Redis; the password from
# CACHE_PASSWORD or CACHE_PASSWORD_FILE), one server shared by every process and replica;
# without it, each process keeps its own in memory. Wagtail's image renditions have an alias of
# their own. While the server is away every cache call is a miss and the site serves from the
# database (bfportal/cache.py).
# https://docs.wagtail.org/en/stable/advanced_topics/performance.html#cache
# ---------------------------------------------------------------------------
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise SettingsError(
            f"CACHE_URL must start with redis:// or rediss://, got {CACHE_URL.split(':', 1)[0]!r}"
        )
    from bfportal.cache import shared_caches

    CACHES = shared_caches(CACHE_URL, env_secret("CACHE_PASSWORD") or None)
    # bfportal/cache.py logs one line per failed connection instead of a traceback per call.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
# The full-page cache for anonymous visitors (wagtail-cache, bfportal/page_cache.py): on by
# default with a cache server (PAGE_CACHE=false turns it off). A page is kept up to
# PAGE_CACHE_SECONDS; a publish, unpublish, move or deletion of any page drops them all.
PAGE_CACHE = env_bool("PAGE_CACHE", default=bool(CACHE_URL))
CACHES["pages"].update(
    KEY_FUNCTION="bfportal.page_cache.make_key", TIMEOUT=env_int("PAGE_CACHE_SECONDS", 300)
)
WAGTAIL_CACHE = PAGE_CACHE
WAGTAIL_CACHE_BACKEND = "pages"
# hit, miss or skip on every response: what operators look at.
WAGTAIL_CACHE_HEADER = "X-Cache"

# ---------------------------------------------------------------------------
# What browsers may load and do on the site's pages. Embeds (YouTube, Vimeo...) in rich text
# need their player's origin in "frame-src"; a CDN for media, its origin in "img-src".
# https://django-csp.readthedocs.io/en/latest/configuration.html
# https://github.com/adamchainz/django-permissions-policy
# ---------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Added to the policy on /admin/ and /django-admin/ (bfportal/content_security.py).
ADMIN_CSP_ADDITIONS = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# ---------------------------------------------------------------------------
# Logins. django-axes refuses a username from an address after LOGIN_FAILURE_LIMIT wrong
# passwords, for LOGIN_COOLOFF_MINUTES; other users and addresses are unaffected. An address
# with LOGIN_ADDRESS_FAILURE_LIMIT failures across usernames is refused as a whole.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
# ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
if LOGIN_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise SettingsError(
        f"LOGIN_ADDRESS_FAILURE_LIMIT ({LOGIN_ADDRESS_FAILURE_LIMIT}) is below "
        f"LOGIN_FAILURE_LIMIT ({AXES_FAILURE_LIMIT}): an address's limit covers all its usernames"
    )
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
# What `manage.py maintain` (the stacks' jobs service, daily) keeps of old records.
LOGIN_LOG_KEEP_DAYS = env_int("LOGIN_LOG_KEEP_DAYS", 30)
REVISIONS_KEEP_DAYS = env_int("REVISIONS_KEEP_DAYS", 90)
MAINTENANCE_SCHEDULE = env_str("MAINTENANCE_SCHEDULE", "04:00")
if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", MAINTENANCE_SCHEDULE):
    raise SettingsError(f"MAINTENANCE_SCHEDULE must be HH:MM (UTC), got {MAINTENANCE_SCHEDULE!r}")
AXES_LOCKOUT_PARAMETERS = "bfportal.logins.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
# Failed logins and lockouts are still logged; off: a banner at every start.
AXES_VERBOSE = False
# Only a TLS-terminating proxy in front that overwrites X-Forwarded-Proto and X-Forwarded-For
# (Caddy in docker-compose.prod.yml does) may say what the client's scheme and address are;
# otherwise a client reaching gunicorn directly could claim HTTPS, or a new address per guess.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
# The address the proxy saw is the right-most entry of X-Forwarded-For.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR"] if BEHIND_PROXY else ["REMOTE_ADDR"]
AXES_IPWARE_PROXY_ORDER = "right-most"

# Password-reset mails per hour for one e-mail address and from one client address, and
# searches per minute from one client address (bfportal/limits.py).
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
SEARCH_LIMIT = env_int("SEARCH_LIMIT", 60)
RATELIMIT_VIEW = "bfportal.limits.refused"
# A cache server that is away refuses no one.
RATELIMIT_FAIL_OPEN = True
# Without a shared cache each process counts on its own: right for one process (make dev, the
# tests), a bound per process under gunicorn (the image run alone).
SILENCED_SYSTEM_CHECKS = [] if CACHE_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 4.0 level 2 (V2.1.1): at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: a folder (one web container, a volume) or S3-compatible object storage
# (several web containers). https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem").lower()
if MEDIA_STORAGE == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise SettingsError("AWS_STORAGE_BUCKET_NAME is not set: MEDIA_STORAGE=s3 needs a bucket")
    # The bucket and how to reach it, for both storages below.
    _s3_bucket = {
        "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
        # Set for S3-compatible services (MinIO, R2, Ceph...); empty means AWS.
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        # Signature Version 4 for signed URLs as for every other request: boto3 would sign URLs
        # in version 2 in the regions that still know it, which AWS buckets made since June 2020
        # refuse.
        "signature_version": "s3v4",
        "file_overwrite": False,
        # None: boto3 finds credentials itself (environment, instance or task role).
        "secret_key": env_secret("AWS_SECRET_ACCESS_KEY") or None,
    }
    # What editors upload, documents (whatever their collection's privacy) and original
    # images, is private: its URLs are signed, expire within minutes and name the bucket's own
    # host, never the custom domain. The site streams documents itself (WAGTAILDOCS_SERVE_METHOD).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_bucket,
            "querystring_auth": True,
            "querystring_expire": 300,
            "custom_domain": None,
        },
    }
    # The images pages show are renditions (under images/), and only they may be public: from
    # a CDN's custom domain, or unsigned from a bucket that lets anyone read images/.
    # https://docs.wagtail.org/en/stable/reference/settings.html#wagtailimages-rendition-storage
    STORAGES["renditions"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_bucket,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            # Signed, expiring URLs work with private buckets; turn off for a public one.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", default=True),
        },
    }
    WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
    # Pages show them straight from the bucket (or its CDN).
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(media_origin(STORAGES["renditions"]))
elif MEDIA_STORAGE != "filesystem":
    raise SettingsError(f"MEDIA_STORAGE must be filesystem or s3, got {MEDIA_STORAGE!r}")
# The image has no other web server: Django serves uploads from MEDIA_ROOT unless they
# live in object storage.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=MEDIA_STORAGE == "filesystem")

# ---------------------------------------------------------------------------
# Tailwind (django-tailwind): the theme app holds the source CSS; npm runs the CLI.
# https://django-tailwind.readthedocs.io/
# ---------------------------------------------------------------------------
TAILWIND_APP_NAME = "theme"
TAILWIND_CSS_PATH = "css/dist/styles.css"

# ---------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "bfportal"
# The meta description (and Open Graph/Twitter description) of pages whose Promote tab leaves
# "Search description" empty, and of views that are no Wagtail page (search, errors). Say in
# a sentence or two what your site offers: search engines show it under the title.
SITE_DESCRIPTION = (
    "bfportal: a Wagtail site styled with Tailwind CSS and served from a small, tested "
    "container image."
)
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}
# The longest query the site's search runs; a longer one gets the form back with an error.
SEARCH_QUERY_MAX_LENGTH = 200
# The admin calls no third party: no Gravatar lookups (they leak editors' e-mail hashes)
# and no release check against wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Documents go out only through Wagtail's view, which checks their collection's privacy, and
# always as attachments: an uploaded file never runs as a page (HTML, SVG, PDF scripts) on the
# site's origin. With S3 too the view streams the file rather than redirect to its URL.
# https://docs.wagtail.org/en/stable/reference/settings.html#documents
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Reject oversized uploads with a form error before they reach the disk.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
# And images of more pixels than a camera makes (Wagtail's default is 128 MP): a few kilobytes
# of PNG can unpack to gigabytes when a rendition is made.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 40_000_000)
# The page editor posts one field per StreamField child; Django's default of 1,000 is too low.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A request's fields other than files are read into memory up to this size, refused past it;
# an uploaded file over it waits in a temporary file in /tmp (a sized tmpfs in the stacks).
# The proxy bounds whole bodies at WAGTAILIMAGES_MAX_UPLOAD_SIZE (deploy/caddy/Caddyfile).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# ---------------------------------------------------------------------------
# E-mail: password resets and Wagtail's notifications, through an SMTP server.
# https://docs.djangoproject.com/en/5.2/topics/email/#smtp-backend
# ---------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise SettingsError(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are both true: choose one (587: TLS, 465: SSL)"
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Error reports to ADMINS come from the same address.
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------
# Error reports to Sentry (or GlitchTip) when SENTRY_DSN is set (bfportal/error_reports.py).
# ---------------------------------------------------------------------------
SENTRY_DSN = env_secret("SENTRY_DSN")
if SENTRY_DSN:
    from bfportal.error_reports import start

    start(
        SENTRY_DSN,
        release=env_str("APP_VERSION", "dev"),
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_fraction("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )

# ---------------------------------------------------------------------------
# Logs: plain lines, or with LOG_FORMAT=json (the production stacks) one JSON object per line,
# gunicorn's too; each line of a request carries its id (bfportal/logs.py).
# ---------------------------------------------------------------------------
LOG_FORMAT = env_str("LOG_FORMAT", "plain").lower()
if LOG_FORMAT not in ("plain", "json"):
    raise SettingsError(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bfportal.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "bfportal.logs.json_formatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        },
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # A Host header outside ALLOWED_HOSTS gets 400; anyone can send one, so it is no error
        # of the site's and is not logged (Django's own advice, in its logging documentation).
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}
