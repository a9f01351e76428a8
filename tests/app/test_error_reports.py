"""Error reports: without SENTRY_DSN the SDK is not started, so nothing is ever sent."""

import sentry_sdk


def test_without_a_dsn_no_error_reporting_client_is_started():
    assert not sentry_sdk.get_client().is_active()
