from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from apps.core.exceptions import Conflict, HMSError


class NoTenantSelected(ImproperlyConfigured):
    """A hospital's model was queried with no hospital selected.

    Raised by the router instead of falling back to the platform database, which is
    how the old system ended up with "no such table" errors and mixed data.
    """

    def __init__(self, model_label: str) -> None:
        super().__init__(
            f"{model_label} lives in a hospital's database, but no hospital is selected. "
            "Wrap the code in apps.tenancy.context.tenant_context(hospital)."
        )


class ProvisioningError(HMSError):
    """A step of a hospital database operation failed; `step` names it."""

    def __init__(self, message: str, *, step: str) -> None:
        super().__init__(message)
        self.step = step


class HospitalStatusRefused(Conflict):
    """A move of the hospital's status that apps.tenancy.status does not allow."""
