"""Error reports to Sentry, or to anything that takes a Sentry DSN (GlitchTip, self-hosted
Sentry), when SENTRY_DSN is set; without it the SDK is not started and nothing is sent.

No personal data: no cookies, no user, no client address (send_default_pii off), and values
under the names of secrets are replaced wherever they occur in a report: request data, headers
and each stack frame's variables. https://docs.sentry.io/platforms/python/integrations/django/
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber
from sentry_sdk.utils import BadDsn

from .settings.env import SettingsError

# The settings' secrets, under the names a frame's variables or a request's fields might have.
DENYLIST = [
    *DEFAULT_DENYLIST,
    "secret_key",
    "database_url",
    "postgres_password",
    "cache_url",
    "cache_password",
    "email_host_password",
    "aws_secret_access_key",
    "sentry_dsn",
    "dsn",
]


def start(dsn: str, release: str, environment: str, traces_sample_rate: float) -> None:
    try:
        sentry_sdk.init(
            dsn=dsn,
            release=release,
            environment=environment,
            traces_sample_rate=traces_sample_rate,
            send_default_pii=False,
            event_scrubber=EventScrubber(denylist=DENYLIST, recursive=True),
            integrations=[DjangoIntegration()],
        )
    except BadDsn as error:
        raise SettingsError(
            f"SENTRY_DSN is not a DSN ({error}): use https://KEY@HOST/PROJECT"
        ) from None
