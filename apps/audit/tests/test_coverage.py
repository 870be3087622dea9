"""A service that changes a hospital's records writes an audit event: checked twice.

1. From the source: every public function of every ``apps/*/services*.py`` (and of the
   ``services`` packages) is marked ``@audited(...)`` or is on ``NOT_AUDITED`` below,
   each with the reason it records nothing itself. A new service that is neither fails
   here, so it cannot be added silently.
2. At run time: every test of the project runs with the check of
   ``apps.audit.auditing`` on (the plugin ``apps.audit.testing``), so a marked service
   that a test drives through a write without recording anything fails that test. The
   mark alone could lie (an event recorded on one path and not another); counting the
   SQL it sends cannot. The tests below show the check catches what it should.

Why not the runtime check alone: a service no test calls would escape it. Why not a
decorator that records for the service: only the service knows the before → after, the
patient and the words that make an event useful.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.audit.actions import ACTIONS, action_label
from apps.audit.auditing import UnauditedWrite, audit_actions, audited
from apps.audit.models import ClinicalEvent
from apps.audit.services import clinical_event_record
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

ROOT = Path(settings.BASE_DIR)

#: public functions of the services modules that record no event of their own, and why
NOT_AUDITED: dict[str, str] = {
    # -- the platform database: logins and hospitals, audited in apps.platform_audit (the
    #    admin's signals) and, for a hospital's own logins, by apps.staff's wrappers
    "apps.accounts.services.account_change_role": "platform db; staff_account_change_role",
    "apps.accounts.services.account_create": "platform db; staff/doctor services record it",
    "apps.accounts.services.account_create_by": "platform db; staff_account_create records",
    "apps.accounts.services.account_deactivate": "platform db; staff_account_deactivate",
    "apps.accounts.services.account_discard": "undoes a login whose record failed to save",
    "apps.accounts.services.account_reactivate": "platform db; staff_account_reactivate",
    "apps.accounts.services.account_reset_password": "platform db; staff_account_reset_password",
    "apps.accounts.services.password_change": "one's own password, platform db (auth signals)",
    "apps.accounts.services.password_hash_apply": "part of password_change / reset",
    "apps.accounts.services.account_get_linkable": "read",
    "apps.accounts.services.password_hash_make": "pure",
    "apps.accounts.services.role_ensure_grantable": "check, raises",
    "apps.accounts.services.split_full_name": "pure",
    "apps.accounts.services.temporary_password_generate": "pure",
    "apps.accounts.services.username_base_from_name": "pure",
    "apps.accounts.services.username_candidates": "pure",
    "apps.tenancy.services.hospital_add": "platform db; recorded in the platform log",
    "apps.tenancy.services.hospital_create": "platform db; recorded in the platform log",
    "apps.tenancy.services.hospital_delete": "platform db; recorded in the platform log",
    "apps.tenancy.services.hospital_changes_record": "writes the platform log itself",
    "apps.tenancy.services.code_suggest": "pure",
    "apps.tenancy.services.code_validate": "check, raises",
    "apps.tenancy.services.database_path_exists": "read",
    "apps.tenancy.services.default_modules": "read",
    "apps.tenancy.services.subdomain_validate": "check, raises",
    "apps.platform_audit.services.platform_event_record": "is the platform log",
    # -- the audit log itself
    "apps.audit.services.clinical_event_record": "is the audit log",
    "apps.audit.services.record_opened": "is the audit log",
    "apps.audit.services.changes_between": "pure",
    "apps.audit.services.snapshot": "pure",
    # -- parts of an audited service, run inside its transaction (the caller records)
    "apps.numbering.services.document_number_allocate": "a number for the caller's document",
    "apps.numbering.services.document_numbers_allocate": "numbers for the caller's documents",
    "apps.pharmacy.services.stock.stock_apply": "the ledger rows of the caller's document",
    "apps.pharmacy.services.stock.medicines_lock": "a lock inside the caller's transaction",
    "apps.pharmacy.services.catalogue.medicine_map_allergens": "part of medicine_create/update",
    "apps.pharmacy.services.catalogue.seed": "reference-data seeder (provisioning, sync job)",
    "apps.billing.services.invoices.locked_for_update": "a lock inside the caller's transaction",
    # -- reads, checks and pure helpers
    "apps.admissions.services.admission_discharge_blockers": "read",
    "apps.admissions.services.admission_settings_get": "read (never writes)",
    "apps.billing.services.invoices.billing_settings_get": "read (never writes)",
    "apps.billing.services.invoices.discount_share": "pure",
    "apps.billing.services.invoices.item_key": "pure",
    "apps.billing.services.invoices.settled_status": "pure",
    "apps.consultations.services.prescription_item_clean": "check, raises",
    "apps.consultations.services.vitals_clean": "check, raises",
    "apps.doctors.services.location_validate": "check, raises",
    "apps.doctors.services.schedule_validate": "check, raises",
    "apps.laboratory.services.age_in_days": "pure",
    "apps.laboratory.services.lab_settings_get": "read (never writes)",
    "apps.laboratory.services.parse_number": "pure",
    "apps.laboratory.services.reference_range_for": "read",
    "apps.laboratory.services.result_field": "pure",
    "apps.laboratory.services.result_flag": "pure",
    "apps.laboratory.services.result_value_check": "check, raises",
    "apps.patients.services.patient_details_clean": "check, raises",
    "apps.pharmacy.services.catalogue.medicine_details_clean": "check, raises",
    "apps.pharmacy.services.catalogue.medicine_ingredients": "pure",
    "apps.pharmacy.services.catalogue.supplier_details_clean": "check, raises",
    "apps.pharmacy.services.dispensing.prescribed_check": "check, raises",
    "apps.pharmacy.services.sales.sellable_batches": "read",
    "apps.staff.services.staff_details_clean": "check, raises",
}


def services_modules() -> list[str]:
    paths = [*ROOT.glob("apps/*/services*.py"), *ROOT.glob("apps/*/services/*.py")]
    names = []
    for path in sorted(paths):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def public_services() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for name in services_modules():
        module = importlib.import_module(name)
        for attribute, function in inspect.getmembers(module, inspect.isfunction):
            if not attribute.startswith("_") and function.__module__ == module.__name__:
                found[f"{name}.{attribute}"] = function
    return found


def test_every_service_is_audited_or_on_the_commented_allow_list() -> None:
    services = public_services()
    assert len(services) > 100  # the walk found the modules
    unmarked = sorted(
        name for name, function in services.items() if audit_actions(function) is None
    )
    missing = [name for name in unmarked if name not in NOT_AUDITED]
    assert not missing, (
        "these services change data with no @audited(...) mark and are not on the "
        f"allow-list of apps/audit/tests/test_coverage.py: {missing}"
    )
    marked_yet_allowed = sorted(set(NOT_AUDITED) - set(unmarked))
    assert not marked_yet_allowed, f"audited or gone, take them off the list: {marked_yet_allowed}"


def test_every_action_recorded_anywhere_has_a_label() -> None:
    recorded = set()
    for path in ROOT.glob("apps/**/*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        recorded.update(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        recorded.update(re.findall(r"@audited\(([^)]*)\)", text))
    codes = set()
    for found in recorded:
        codes.update(re.findall(r"[a-z_]+\.[a-z_]+", found))
    assert codes - set(ACTIONS) == set()
    assert all(str(label) for label in ACTIONS.values())


def test_an_action_reads_as_its_label_and_an_unknown_one_as_its_code() -> None:
    assert action_label("invoice.issued") == "Invoice issued"
    assert action_label("future.thing") == "future.thing"


def test_marking_a_service_with_an_unlabelled_action_fails_at_import() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"apps/audit/actions\.py"):
        audited("invoice.typo")


@audited("patient.updated")
def _writes_silently(patient: Patient) -> None:
    with tenant_atomic():
        Patient.objects.filter(pk=patient.pk).update(address="Nizami 1")


@audited("patient.updated")
def _writes_and_records(patient: Patient) -> None:
    with tenant_atomic():
        Patient.objects.filter(pk=patient.pk).update(address="Nizami 1")
        clinical_event_record(action="patient.updated", entity="patient", entity_id=patient.pk)


@audited("patient.updated")
def _calls_one_that_records(patient: Patient) -> None:
    with tenant_atomic():
        Patient.objects.filter(pk=patient.pk).update(phone="+994501111111")
        _writes_and_records(patient)


def test_the_check_fails_a_service_that_writes_without_an_event(hospital_a: Hospital) -> None:
    patient = register(hospital_a)
    with tenant_context(hospital_a), pytest.raises(UnauditedWrite, match="_writes_silently"):
        _writes_silently(patient)


def test_the_check_passes_a_service_that_records_itself_or_through_another(
    hospital_a: Hospital,
) -> None:
    patient = register(hospital_a)
    with tenant_context(hospital_a):
        _writes_and_records(patient)
        _calls_one_that_records(patient)
        assert ClinicalEvent.objects.filter(action="patient.updated").count() == 2
