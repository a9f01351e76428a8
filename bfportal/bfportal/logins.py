"""What django-axes counts a login failure against (AXES_LOCKOUT_PARAMETERS names this).

A username guessed from one address is locked out as a pair, at AXES_FAILURE_LIMIT failures.
An address that has failed LOGIN_ADDRESS_FAILURE_LIMIT times within the cool-off, whatever
the usernames (one password tried against many accounts), is locked out as a whole.
"""

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

PAIR = [["username", "ip_address"]]
ADDRESS = ["ip_address"]


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    if isinstance(request_or_attempt, AccessBase):
        address = request_or_attempt.ip_address
    else:
        address = get_client_ip_address(request_or_attempt)
    failures = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=timezone.now() - get_cool_off(request_or_attempt)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return ADDRESS if (failures or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT else PAIR
