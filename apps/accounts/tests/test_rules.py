from __future__ import annotations

import ast
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from apps.accounts import rules
from apps.accounts.models import Role, User

ROOT = Path(settings.BASE_DIR)

#: where a role may be compared or ``is_hospital_admin`` read: the rules themselves, the
#: model that defines roles, and accounts' own account management (which roles may be
#: given, who manages whose account)
RULE_OWNERS = {
    "apps/accounts/rules.py",
    "apps/accounts/models.py",
    "apps/accounts/services.py",
}


def user(role: str, *, superuser: bool = False) -> User:
    return User(id=uuid.uuid4(), username=f"{role}.test", role=role, is_superuser=superuser)


@dataclass
class Record:
    """A doctor's record as the rules see it: the login linked to it."""

    user_id: uuid.UUID | None


ADMIN = user(Role.HOSPITAL_ADMIN)
SUPERUSER = user(Role.PLATFORM_ADMIN, superuser=True)
DOCTOR = user(Role.DOCTOR)
NURSE = user(Role.NURSE)
RECEPTIONIST = user(Role.RECEPTIONIST)
ACCOUNTANT = user(Role.ACCOUNTANT)
PHARMACIST = user(Role.PHARMACIST)
PATIENT = user(Role.PATIENT)
EVERYONE = [ADMIN, SUPERUSER, DOCTOR, NURSE, RECEPTIONIST, ACCOUNTANT, PHARMACIST, PATIENT]


def who(rule: object) -> set[str]:
    return {person.username for person in EVERYONE if rule(person)}  # type: ignore[operator]


def test_administrators_and_superusers_are_hospital_admins() -> None:
    assert who(rules.is_hospital_admin) == {"hospital_admin.test", "platform_admin.test"}


def test_acting_as_a_role_is_having_it_or_being_an_administrator() -> None:
    assert who(lambda u: rules.may_act_as(u, {Role.NURSE})) == {
        "hospital_admin.test",
        "platform_admin.test",
        "nurse.test",
    }
    assert who(lambda u: rules.may_act_as(u, frozenset())) == who(rules.is_hospital_admin)


def test_money_is_seen_by_administrators_and_accountants() -> None:
    assert who(rules.may_see_money) == {
        "hospital_admin.test",
        "platform_admin.test",
        "accountant.test",
    }


def test_clinical_data_is_seen_by_administrators_doctors_and_nurses() -> None:
    assert who(rules.may_see_clinical_data) == {
        "hospital_admin.test",
        "platform_admin.test",
        "doctor.test",
        "nurse.test",
    }


def test_a_doctor_is_a_doctor_account_only() -> None:
    assert who(rules.is_doctor) == {"doctor.test"}


def test_a_doctor_acts_for_their_own_record_and_administrators_for_anyone() -> None:
    own, other, unlinked = Record(DOCTOR.pk), Record(uuid.uuid4()), Record(None)
    assert rules.may_act_for_doctor(DOCTOR, own)
    assert not rules.may_act_for_doctor(DOCTOR, other)
    assert not rules.may_act_for_doctor(DOCTOR, unlinked)
    assert rules.may_act_for_doctor(ADMIN, other) and rules.may_act_for_doctor(SUPERUSER, other)
    # a nurse linked to the record by mistake still does not act as its doctor
    assert not rules.may_act_for_doctor(NURSE, Record(NURSE.pk))


def test_clinical_data_beyond_the_clinicians_only_for_the_roles_a_record_names() -> None:
    assert who(lambda u: rules.may_see_clinical_data(u, also={Role.PHARMACIST})) == {
        "hospital_admin.test",
        "platform_admin.test",
        "doctor.test",
        "nurse.test",
        "pharmacist.test",
    }


def test_clinical_writing_is_for_the_role_itself_never_an_administrator_as_such() -> None:
    assert who(lambda u: rules.has_clinical_role(u, {Role.NURSE, Role.DOCTOR})) == {
        "doctor.test",
        "nurse.test",
    }


def test_the_treating_doctor_or_a_covering_doctor_writes_a_consultation() -> None:
    own, other = Record(DOCTOR.pk), Record(uuid.uuid4())
    assert rules.may_write_for_doctor(DOCTOR, own)
    assert not rules.may_write_for_doctor(DOCTOR, other)
    assert rules.may_write_for_doctor(DOCTOR, other, covering=True)
    for person in [ADMIN, SUPERUSER, NURSE, RECEPTIONIST]:
        assert not rules.may_write_for_doctor(person, other, covering=True)
        assert not rules.may_write_for_doctor(person, Record(person.pk))


def test_administrators_keep_the_cover_list() -> None:
    assert who(rules.may_grant_cover) == who(rules.is_hospital_admin)


def test_a_doctors_login_is_a_doctor_account_only() -> None:
    # an administrator's too until issue 20 (its refusal said "only doctor accounts")
    assert who(rules.may_be_doctor_login) == {"doctor.test"}


def test_a_patient_account_is_a_portal_login() -> None:
    assert who(rules.is_patient_account) == {"patient.test"}


# -- nobody else decides by role ---------------------------------------------------------


def role_decisions(source: str, filename: str = "<source>") -> list[int]:
    """Lines that compare a ``.role`` (``==``, ``!=``, ``in``, ``not in``) or read
    ``.is_hospital_admin``."""

    def is_role(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "role"

    lines = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Compare):
            if any(is_role(operand) for operand in [node.left, *node.comparators]):
                lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "is_hospital_admin":
            lines.append(node.lineno)
    return lines


def project_modules() -> list[Path]:
    return sorted(
        path
        for top in ("apps", "hms", "worker")
        for path in (ROOT / top).rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts
        and "migrations" not in path.relative_to(ROOT).parts
    )


@pytest.mark.parametrize(
    "source",
    [
        "if user.role == Role.DOCTOR: pass",
        "ok = request.user.role in ROLES",
        "ok = Role.PATIENT != account.role",
        "ok = user.is_hospital_admin or x",
    ],
)
def test_the_finder_sees_a_role_decision(source: str) -> None:
    assert role_decisions(source) == [1]


def test_the_finder_leaves_reading_and_giving_a_role_alone() -> None:
    source = "form = RoleForm(initial={'role': user.role})\nuser.role = Role.NURSE\n"
    assert role_decisions(source) == []


def test_no_module_outside_the_rules_decides_by_role() -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in project_modules()
        if str(path.relative_to(ROOT)) not in RULE_OWNERS
        for line in role_decisions(path.read_text(), str(path))
    }
    assert sorted(found) == [], "ask apps.accounts.rules instead"


#: a template tag that decides by a role: ``{% if user.role == … %}``, ``{% if
#: user.is_hospital_admin %}`` (showing a role, ``{{ account.get_role_display }}``, is not)
TEMPLATE_ROLE_DECISION = re.compile(r"\{%\s*(?:if|elif)\b[^%]*(?:\.role\b|is_hospital_admin)")


def test_the_template_finder_sees_a_role_decision_and_leaves_showing_a_role_alone() -> None:
    assert TEMPLATE_ROLE_DECISION.search('{% if user.role == "doctor" %}')
    assert TEMPLATE_ROLE_DECISION.search("{% elif request.user.is_hospital_admin %}")
    assert not TEMPLATE_ROLE_DECISION.search("{{ account.get_role_display }} {{ form.role }}")


def test_no_template_decides_by_role() -> None:
    """Links and buttons are shown by ``{% may_open "module:page" %}`` (the page's own
    declarations) or by a rule the view passes, never by a role compared in a template."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for pattern in ("templates/**/*.html", "apps/*/templates/**/*.html")
        for path in sorted(ROOT.glob(pattern))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if TEMPLATE_ROLE_DECISION.search(line)
    ]
    assert found == [], "use {% may_open %} or a rule from apps.accounts.rules"
