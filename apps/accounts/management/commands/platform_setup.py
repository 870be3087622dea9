from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import Role, User
from apps.accounts.services import temporary_password_generate
from apps.tenancy.middleware import platform_url
from apps.tenancy.storage.files import make_data_files_private, make_private
from hms.env import env_file_path


def read_env_file(path: Path | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if path is not None and path.is_file():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def make_owner_only(path: Path) -> None:
    """chmod 0600 the env file, only when it is a regular file of our own: never what a
    symlink points at, a device (/dev/null) or another user's file."""
    status = path.lstat()
    if stat.S_ISREG(status.st_mode) and status.st_uid == os.geteuid():
        path.chmod(0o600)


def write_env_value(path: Path | None, key: str, value: str) -> None:
    """Keep ``key=value`` in the env file; with no env file, nowhere."""
    if path is None:
        return
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise CommandError(f"{path} is not a regular file; name another with --env-file.")
    lines = [
        ln
        for ln in (path.read_text().splitlines() if path.exists() else [])
        if not ln.startswith(f"{key}=")
    ]
    lines.append(f"{key}={value}")
    # Created readable by the owner only, before any secret is written into it.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    if os.fstat(descriptor).st_uid == os.geteuid():
        os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


class Command(BaseCommand):
    help = (
        "Prepare the platform: migrate the platform database, collect the static files "
        "and create (or update) the "
        "platform superuser. The password comes from HMS_ADMIN_PASSWORD, or is generated "
        "once, printed and kept in the git-ignored env file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--env-file",
            default=str(settings.HMS_ENV_FILE or os.devnull),
            help="where the generated secrets are kept (/dev/null: nowhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        # Databases and backups made before they were created owner-only become so.
        make_data_files_private(Path(settings.HMS_TENANT_DB_DIR))
        platform_database = Path(str(settings.DATABASES["default"]["NAME"]))
        for database in platform_database.parent.glob(f"{platform_database.name}*"):
            make_private(database)
        # gunicorn serves the static files through WhiteNoise from STATIC_ROOT (`make run`)
        call_command("collectstatic", interactive=False, verbosity=0)
        env_file = env_file_path(options["env_file"])
        stored = read_env_file(env_file)
        if env_file is not None and env_file.exists():
            make_owner_only(env_file)  # it holds the admin password and the secret key
        if not stored.get("DJANGO_SECRET_KEY"):
            write_env_value(env_file, "DJANGO_SECRET_KEY", temporary_password_generate() * 4)
        # Remember the ports `make run` was started with, so the URLs that later
        # commands print (create_hospital ...) point at the running stack.
        for key in ("HMS_PORT", "HMS_REDIS_PORT", "HMS_BASE_DOMAIN"):
            if os.environ.get(key) and stored.get(key) != os.environ[key]:
                write_env_value(env_file, key, os.environ[key])
        username = os.environ.get("HMS_ADMIN_USERNAME") or "admin"
        # Settings load the env file into os.environ too; a value equal to the stored
        # one came from the file, not from the person running the command.
        given = os.environ.get("HMS_ADMIN_PASSWORD")
        from_environment = bool(given) and given != stored.get("HMS_ADMIN_PASSWORD")
        password = given or stored.get("HMS_ADMIN_PASSWORD")
        generated = password is None
        if password is None:
            password = temporary_password_generate()
            write_env_value(env_file, "HMS_ADMIN_PASSWORD", password)

        user = User.objects.filter(username=username).first()
        if user is not None and user.hospital_id is not None:
            raise CommandError(
                f"{username!r} is an account of {user.hospital}; choose another "
                "HMS_ADMIN_USERNAME for the platform admin."
            )
        created = user is None
        if user is None:
            user = User(username=username, role=Role.PLATFORM_ADMIN)
        user.is_staff = user.is_superuser = user.is_active = True
        user.role = Role.PLATFORM_ADMIN
        if from_environment:
            # chosen by whoever runs the command: theirs, kept as it is
            if not user.check_password(password):
                user.set_password(password)
        elif created or generated:
            # generated, printed and kept in the env file: changed at the first sign-in
            # (no expiry: nobody else issued it). Once the admin chose their own, later
            # runs leave it alone (the file's copy is only the first one).
            user.set_password(password)
            user.must_change_password = True
        user.save()

        self.stdout.write(self.style.SUCCESS(f"Platform admin: {platform_url()}admin/"))
        self.stdout.write(f"  username: {username}")
        if generated:
            kept = "no env file" if env_file is None else env_file.name
            self.stdout.write(f"  password: {password}   (generated now, kept in {kept})")
        elif from_environment:
            self.stdout.write("  password: the one in HMS_ADMIN_PASSWORD")
        else:
            self.stdout.write(
                f"  password: shown at the first run; kept in {env_file} (HMS_ADMIN_PASSWORD)"
            )
        self.stdout.write(
            f"Hospitals: python manage.py create_hospital --name ... --subdomain NAME "
            f"→ http://NAME.{settings.HMS_BASE_DOMAIN}:{settings.HMS_PORT}/"
        )
