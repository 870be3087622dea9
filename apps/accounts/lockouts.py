"""Sign-in lock-outs that fit a hospital: each kind of lock counts its own failures
against its own limit.

django-axes compares the largest count of its lockout parameters with one limit. A
hospital's workstations usually share one NAT address, so an address locked at the
same few failures as an account locks the whole hospital (and the platform
administrators behind it) out because of one person's typos. Here:

- account + address (HMS_LOGIN_FAILURE_LIMIT): one person's typos at one workstation;
- account, from any address (HMS_LOGIN_ACCOUNT_FAILURE_LIMIT): a guess at one account
  spread over addresses;
- address alone (HMS_LOGIN_ADDRESS_FAILURE_LIMIT, much higher): many accounts guessed
  from one place.

``get_failures`` is the one hook axes asks ("locked when failures >= the limit"), so
each count is expressed as a share of its own limit on the scale of axes' one limit:
``failures * AXES_FAILURE_LIMIT // limit`` reaches ``AXES_FAILURE_LIMIT`` exactly when
``failures`` reaches ``limit``.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler  # type: ignore[import-untyped]
from axes.helpers import get_lockout_parameters  # type: ignore[import-untyped]
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

#: the lockout parameter sets (AXES_LOCKOUT_PARAMETERS) and the setting of each's limit
LOCKOUT_LIMITS: dict[tuple[str, ...], str] = {
    ("username", "ip_address"): "AXES_FAILURE_LIMIT",
    ("username",): "HMS_LOGIN_ACCOUNT_FAILURE_LIMIT",
    ("ip_address",): "HMS_LOGIN_ADDRESS_FAILURE_LIMIT",
}


def lockout_limit(parameters: str | list[str]) -> int:
    """The number of failures that locks the sign-ins ``parameters`` name."""
    key = (parameters,) if isinstance(parameters, str) else tuple(parameters)
    return int(getattr(settings, LOCKOUT_LIMITS[key]))


class HospitalLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, each lock counted against its own limit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        scale = int(settings.AXES_FAILURE_LIMIT)
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        shares = [
            (rows.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            * scale
            // lockout_limit(kind)
            for kind, rows in zip(parameters, attempts, strict=True)
        ]
        return max(shares, default=0)
