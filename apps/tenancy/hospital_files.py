"""Where a hospital's files live on this machine: one directory per hospital under
``settings.HMS_HOSPITAL_FILES_DIR`` (beside the tenant databases' directory, outside the
web root and never served by the web server), one subdirectory per area a module names.

The one accessor modules ask (they never build these paths): a hospital's directory is
named by its database name, as its database file is, so a hospital's files and its
database are found the same way and a subdomain change moves neither.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from apps.tenancy.models import Hospital
from apps.tenancy.storage.base import database_name

_AREA = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def hospital_files_dir(hospital: Hospital, *, area: str) -> Path:
    """The directory of ``hospital``'s files of ``area`` (``"radiology"``), created
    private (0700) on first use."""
    if not _AREA.match(area):
        raise ValueError(f"an area is a plain lower-case name: {area!r}")
    directory = Path(settings.HMS_HOSPITAL_FILES_DIR) / database_name(hospital) / area
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory
