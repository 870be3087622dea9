"""Operations on an existing hospital's database that leave it in place: verify and
reference-data sync. Like the provisioning pipeline they run as reported steps, inline
or in a job."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from apps.tenancy.connections import hospital_alias
from apps.tenancy.context import tenant_context
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.migrations_state import inspect_database, tenant_migration_state
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning import seed_reference_data, verify_alias
from apps.tenancy.schema import schema_comparable, schema_drift, template_ensure
from apps.tenancy.steps import Reporter, Step, StepHandle, StepRunner, silent
from apps.tenancy.storage import database_name, storage_for

VERIFY_STEPS = (
    Step("check", gettext_noop("Check database"), 20),
    Step("verify", gettext_noop("Verify database"), 50),
    Step("schema", gettext_noop("Compare the schema with the template"), 30),
)
SYNC_STEPS = (
    Step("check", gettext_noop("Check database"), 10),
    Step("sync", gettext_noop("Sync reference data"), 90),
)


def _check_file(hospital: Hospital, step: StepHandle) -> str:
    storage, name = storage_for(hospital), database_name(hospital)
    if not storage.exists(name):
        raise ProvisioningError(
            f"database {storage.describe(name)} is missing", step=step.step.label
        )
    step.summary = f"{storage.describe(name)}, {storage.size(name) // 1024} KiB"
    return hospital_alias(hospital)


def hospital_verify(hospital: Hospital, *, report: Reporter = silent) -> str:
    """Check the hospital's database for real (tables, unapplied migrations) and record
    the outcome in ``Hospital.migration_state``, which the hospital list and fleet
    migrate read instead of loading migrations."""
    runner = StepRunner(VERIFY_STEPS, report)
    with runner.step("check") as step:
        alias = _check_file(hospital, step)
    with runner.step("verify") as step:
        try:
            step.summary = verify_alias(alias)
        except ProvisioningError:
            if inspect_database(alias).unapplied:
                # Mark it behind, so a fleet migrate picks it up.
                Hospital.objects.filter(pk=hospital.pk).update(migration_state="")
            raise
        Hospital.objects.filter(pk=hospital.pk).update(migration_state=tenant_migration_state())
        verified = step.summary
    with runner.step("schema") as step:
        if not schema_comparable(storage_for(hospital)):
            step.summary = "schema comparison is available for SQLite hospitals only"
            return f"{verified}; schema not compared"
        drift = hospital_schema_drift(hospital)
        Hospital.objects.filter(pk=hospital.pk).update(schema_drift="\n".join(drift))
        if drift:
            raise ProvisioningError(
                f"schema drift — {len(drift)} difference(s) from what its migrations produce: "
                f"{'; '.join(drift[:5])}. Repair it (keeps the data) or restore a backup.",
                step=step.step.label,
            )
        step.summary = "the same tables, columns, indexes and constraints as the template"
    return f"{verified}; schema as its migrations produce"


def hospital_schema_drift(hospital: Hospital) -> list[str]:
    """How the hospital's live schema differs from the template's (the schema its
    recorded migrations produce), one line per difference; [] when they match. Only
    meaningful for a hospital with no unapplied migrations; [] on a storage whose schema
    cannot be compared (see apps.tenancy.schema)."""
    storage = storage_for(hospital)
    if not schema_comparable(storage):
        return []
    return schema_drift(storage, database_name(hospital), template_ensure(hospital))


def hospital_sync_reference_data(
    hospital: Hospital, *, report: Reporter = silent
) -> dict[str, int]:
    """Add new canonical regions, cities, clinics and specializations and update changed
    ones; rows the hospital added itself are never touched, nothing is deleted."""
    runner = StepRunner(SYNC_STEPS, report)
    with runner.step("check") as step:
        alias = _check_file(hospital, step)
    with runner.step("sync") as step, tenant_context(hospital, alias=alias):
        counts = seed_reference_data(update_existing=True, handle=step)
        step.summary = f"{counts['created']} rows created, {counts['updated']} updated"
    return counts
