"""Sign-in lock-out (django-axes): per username and address, and per address across usernames.

django-axes counts failures per ``AXES_LOCKOUT_PARAMETERS`` group with one limit for every group,
and a successful sign-in clears every group it matches. With ``"ip_address"`` as a group, one
school's or police station's shared address would be locked after ``AXES_FAILURE_LIMIT`` typing
mistakes by different people, and anyone's successful sign-in would clear every failure from that
address, including an attacker's against other accounts. So the lock-out parameters stay
(username, address), and this handler adds the address's failures across usernames with their own
limit, ``AXES_ADDRESS_FAILURE_LIMIT``, which a sign-in does not clear.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AddressLimitDatabaseHandler(AxesDatabaseHandler):
    def address_failures(self, request: HttpRequest) -> int:
        """Failed sign-ins from the request's address within the cool-off, whatever the username."""
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """What django-axes compares with ``AXES_FAILURE_LIMIT``: the username and address's
        failures, or the address's scaled to that limit, so that it is reached exactly when the
        address reaches ``AXES_ADDRESS_FAILURE_LIMIT`` (floor(n * L / A) >= L exactly when n >= A)."""
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        scaled = self.address_failures(request) * limit // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(failures, scaled)


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, for the lock-out (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``TRUSTED_PROXY_COUNT`` proxies, each appending the address it saw to
    X-Forwarded-For, the client's address is that many entries from the right: entries further
    left are whatever the client sent. Without proxies, or when the header is not as expected,
    the connection's own address."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")
