from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import Role, User
from apps.tenancy.models import Hospital
from apps.tenancy.storage.sqlite import digest_path_of, file_sha256
from apps.tenancy.tests.databases import database_exists, template_path, templates_remove


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_hospital", *args, stdout=out)
    return out.getvalue()


def all_files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_it_provisions_a_hospital_and_prints_its_url_and_admin(
    db: None, _tenant_storage: Path
) -> None:
    output = run("--name", "City General Hospital", "--subdomain", "city-general")
    hospital = Hospital.objects.get(subdomain="city-general")
    assert hospital.status == Hospital.Status.READY
    assert hospital.code == "CGH001"
    assert database_exists(Hospital.objects.get(code="CGH001"))
    admin = User.objects.get(hospital=hospital, role=Role.HOSPITAL_ADMIN)
    assert admin.must_change_password
    assert "http://city-general.localhost:8000/" in output
    assert f"Administrator username: {admin.username}" in output
    temporary = output.split("first login): ")[1].split()[0]
    assert admin.check_password(temporary)
    for step in ("Create database", "Apply migrations", "Seed reference data", "Verify database"):
        assert step in output
    assert "100%" in output


def test_a_password_given_on_the_command_line_is_not_forced_to_change(db: None) -> None:
    output = run(
        "--name",
        "Lakeside",
        "--subdomain",
        "lakeside",
        "--code",
        "LAK01",
        "--admin-email",
        "boss@lakeside.test",
        "--admin-password",
        "Own-Password-77",
    )
    admin = User.objects.get(hospital__code="LAK01")
    assert admin.check_password("Own-Password-77")
    assert not admin.must_change_password
    assert admin.email == "boss@lakeside.test"
    assert "Temporary password" not in output


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--subdomain", "admin"], "reserved"),
        (["--subdomain", "www"], "reserved"),
        (["--subdomain", "api"], "reserved"),
        (["--subdomain", "Bad_Name"], "not valid"),
        (["--subdomain=-edge"], "not valid"),
        (["--subdomain", "../../etc"], "not valid"),
        (["--subdomain", "ok", "--code", "../../evil"], "not valid"),
        (["--subdomain", "ok", "--code", "1ABC"], "not valid"),
        (["--subdomain", "ok", "--admin-email", "not-an-email"], "not a valid email"),
    ],
)
def test_bad_input_exits_with_a_reason_and_leaves_nothing_behind(
    db: None, _tenant_storage: Path, args: list[str], reason: str
) -> None:
    with pytest.raises(CommandError, match=reason):
        run("--name", "Somewhere", *args)
    assert not Hospital.objects.exists()
    assert not User.objects.exists()
    assert all_files(_tenant_storage) == []


def test_a_duplicate_subdomain_or_code_is_refused_and_changes_nothing(
    hospital_a: Hospital, _tenant_storage: Path
) -> None:
    files_before = sorted(all_files(_tenant_storage))
    with pytest.raises(CommandError, match="already taken"):
        run("--name", "Other", "--subdomain", hospital_a.subdomain)
    with pytest.raises(CommandError, match="already taken"):
        run("--name", "Other", "--subdomain", "other", "--code", hospital_a.code)
    assert Hospital.objects.count() == 1
    assert sorted(all_files(_tenant_storage)) == files_before


def test_a_failing_step_leaves_no_row_no_account_and_no_file(
    db: None, _tenant_storage: Path, monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    def broken_seed(**kwargs: object) -> dict[str, int]:
        raise RuntimeError("reference data file is corrupt")

    settings.HMS_TEMPLATE_DB_DIR = tmp_path / "no-template-yet"  # the slow path seeds
    templates_remove()
    monkeypatch.setattr("apps.regions.reference_data.seed", broken_seed)
    with pytest.raises(
        CommandError, match="Seed reference data failed: reference data file is corrupt"
    ):
        run("--name", "Doomed", "--subdomain", "doomed")
    assert not Hospital.objects.exists()
    assert not User.objects.exists()
    assert all_files(_tenant_storage) == []
    assert all_files(tmp_path / "no-template-yet") == []  # no template from a failed build


def test_a_clone_skips_migrations_and_seeding_and_says_so(db: None) -> None:
    # build the template if needed (on each of two PostgreSQL servers, where the first
    # two hospitals go one to each)
    run("--name", "First", "--subdomain", "first")
    run("--name", "Second", "--subdomain", "second")
    output = run("--name", "Third", "--subdomain", "third")
    assert "fast path: cloned template" in output
    assert "none to apply: the template is at the current migration state" in output
    assert "none to add: the template holds the current reference data" in output
    assert "identical to the verified template" in output


@pytest.mark.sqlite_only  # the template's SHA-256 file and bytes
def test_a_clone_that_differs_from_the_recorded_template_is_opened_and_verified(
    db: None, settings, tmp_path: Path
) -> None:
    settings.HMS_TEMPLATE_DB_DIR = tmp_path / "templates"
    run("--name", "First", "--subdomain", "first")
    digest_path_of(template_path()).write_text("0" * 64)  # say, replaced meanwhile
    output = run("--name", "Second", "--subdomain", "second")
    assert "fast path" in output and "no unapplied migrations" in output
    assert Hospital.objects.get(subdomain="second").status == Hospital.Status.READY


@pytest.mark.sqlite_only  # the template's SHA-256 file and bytes
def test_a_corrupt_template_fails_the_verify_step_and_leaves_nothing(
    db: None, settings, tmp_path: Path, _tenant_storage: Path
) -> None:
    settings.HMS_TEMPLATE_DB_DIR = tmp_path / "templates"
    run("--name", "First", "--subdomain", "first")
    with template_path().open("r+b") as template:
        template.seek(100)
        template.write(b"rot" * 100)
    with pytest.raises(CommandError, match="Verify database failed"):
        run("--name", "Second", "--subdomain", "second")
    assert not Hospital.objects.filter(subdomain="second").exists()
    assert not any((_tenant_storage / "tmp").glob("*.sqlite3*"))


@pytest.mark.sqlite_only  # the template's SHA-256 file and bytes
def test_the_slow_path_migrates_seeds_and_leaves_a_template(
    db: None, settings, tmp_path: Path
) -> None:
    settings.HMS_TEMPLATE_DB_DIR = tmp_path / "templates"
    output = run("--name", "First", "--subdomain", "first")
    assert "slow path" in output and "migrations applied" in output
    assert "rows created" in output
    template, digest = sorted(all_files(tmp_path / "templates"))
    assert digest == digest_path_of(template)
    assert digest.read_text() == file_sha256(template)
