"""The Content-Security-Policy: strict on the public site, looser in the admin.

Wagtail's admin still needs inline scripts and styles (https://github.com/wagtail/wagtail/issues/7053),
so its pages get the additions in settings.ADMIN_CSP_ADDITIONS; the public templates load
only the site's own files and keep the strict policy from settings.CONTENT_SECURITY_POLICY.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.update = {**settings.ADMIN_CSP_ADDITIONS, **(parts.update or {})}
        return parts
