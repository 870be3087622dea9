from __future__ import annotations

import os
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import Role, User
from apps.tenancy.models import Hospital


def setup(env_file: Path) -> str:
    out = StringIO()
    call_command("platform_setup", "--env-file", str(env_file), stdout=out)
    return out.getvalue()


@pytest.fixture
def env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("HMS_ADMIN_PASSWORD", "HMS_ADMIN_USERNAME", "HMS_PORT"):
        monkeypatch.delenv(key, raising=False)
    return tmp_path / ".env"


def test_the_first_run_generates_prints_and_keeps_the_admin_password(
    db: None, env_file: Path
) -> None:
    output = setup(env_file)
    password = output.split("password: ")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.role == Role.PLATFORM_ADMIN
    assert admin.check_password(password)
    assert f"HMS_ADMIN_PASSWORD={password}" in env_file.read_text()
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert "http://localhost:8000/admin/" in output


def test_a_second_run_reuses_the_password_and_does_not_print_it(db: None, env_file: Path) -> None:
    password = setup(env_file).split("password: ")[1].split()[0]
    output = setup(env_file)
    assert password not in output
    assert "shown at the first run" in output
    assert User.objects.get(username="admin").check_password(password)
    assert User.objects.filter(is_superuser=True).count() == 1


def test_the_password_and_username_come_from_the_environment_when_set(
    db: None, env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HMS_ADMIN_USERNAME", "platform")
    monkeypatch.setenv("HMS_ADMIN_PASSWORD", "Chosen-Admin-Pass-1")
    output = setup(env_file)
    assert "Chosen-Admin-Pass-1" not in output
    assert "the one in HMS_ADMIN_PASSWORD" in output
    assert User.objects.get(username="platform").check_password("Chosen-Admin-Pass-1")
    assert "Chosen-Admin-Pass-1" not in env_file.read_text()


def test_a_hospital_account_is_never_turned_into_the_platform_admin(
    hospital_a: Hospital, env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_a = User.objects.get(hospital=hospital_a, role=Role.HOSPITAL_ADMIN)
    monkeypatch.setenv("HMS_ADMIN_USERNAME", admin_a.username)
    with pytest.raises(CommandError, match="is an account of City General Hospital"):
        setup(env_file)
    admin_a.refresh_from_db()
    assert not admin_a.is_superuser and admin_a.role == Role.HOSPITAL_ADMIN


def test_the_env_file_is_created_private(db: None, env_file: Path) -> None:
    setup(env_file)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    env_file.chmod(0o644)
    setup(env_file)  # a later run makes an existing file private again
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


# -- only a regular file of its own (issue 20, point 9) ----------------------------------


def test_dev_null_means_no_env_file(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("HMS_ADMIN_PASSWORD", "HMS_ADMIN_USERNAME", "HMS_PORT"):
        monkeypatch.delenv(key, raising=False)
    mode = stat.S_IMODE(Path(os.devnull).stat().st_mode)
    output = setup(Path(os.devnull))
    assert "kept in no env file" in output
    password = output.split("password: ")[1].split()[0]
    assert User.objects.get(username="admin").check_password(password)
    assert stat.S_IMODE(Path(os.devnull).stat().st_mode) == mode


def test_dev_null_in_the_environment_means_no_env_file() -> None:
    from hms.env import env_file_path

    assert env_file_path("/dev/null") is None and env_file_path("") is None
    assert env_file_path("/srv/hms/.env") == Path("/srv/hms/.env")


def test_what_a_symlinked_env_file_points_at_keeps_its_mode(
    db: None, env_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "shared.conf"
    target.write_text("DJANGO_SECRET_KEY=kept\nHMS_ADMIN_PASSWORD=Kept-Admin-Pass-1\n")
    target.chmod(0o644)
    env_file.symlink_to(target)
    setup(env_file)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_an_env_file_that_is_not_a_regular_file_is_refused_before_writing(
    db: None, env_file: Path
) -> None:
    env_file.mkdir()
    with pytest.raises(CommandError, match="not a regular file"):
        setup(env_file)


def test_the_generated_password_must_be_changed_at_the_first_sign_in(
    db: None, env_file: Path
) -> None:
    from django.test import Client

    password = setup(env_file).split("password: ")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.must_change_password
    client = Client(HTTP_HOST="localhost")
    client.post("/admin/login/", {"username": "admin", "password": password})
    response = client.get("/admin/tenancy/hospital/")
    assert response.status_code == 302 and response["Location"] == "/admin/password_change/"
    new = "Own-Platform-Pass-26"
    changed = client.post(
        "/admin/password_change/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    admin.refresh_from_db()
    assert not admin.must_change_password and admin.check_password(new)
    setup(env_file)  # `make run` runs it again: the admin's own password stays
    admin.refresh_from_db()
    assert admin.check_password(new) and not admin.must_change_password


def test_a_password_chosen_in_the_environment_is_not_forced_to_change(
    db: None, env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HMS_ADMIN_PASSWORD", "Chosen-Admin-Pass-1")
    setup(env_file)
    assert not User.objects.get(username="admin").must_change_password
