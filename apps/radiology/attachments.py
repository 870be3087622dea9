"""Images and scanned documents attached to a study, as files.

The type is told by the content, never by the name or the browser's word: JPEG, PNG
and PDF by their first bytes, DICOM by "DICM" at offset 128 (accepted and kept as a
file to download; viewing DICOM belongs to a PACS, see the README). Files are at most
``settings.HMS_RADIOLOGY_UPLOAD_MAX_BYTES`` and live in the hospital's own directory
(``apps.tenancy.hospital_files``), outside the web root, under a name of our own;
only ``radiology_attachment_view`` serves them, after the hospital and role checks.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core.exceptions import ValidationError
from apps.radiology.models import AttachmentKind, Study, StudyAttachment, StudyStatus
from apps.tenancy.db import tenant_atomic
from apps.tenancy.hospital_files import hospital_files_dir
from apps.tenancy.models import Hospital

AREA = "radiology"
_DICOM_PREAMBLE = 128


@dataclass(frozen=True)
class KindOfFile:
    kind: str
    content_type: str
    extension: str


_KINDS = {
    AttachmentKind.JPEG: KindOfFile(AttachmentKind.JPEG, "image/jpeg", ".jpg"),
    AttachmentKind.PNG: KindOfFile(AttachmentKind.PNG, "image/png", ".png"),
    AttachmentKind.PDF: KindOfFile(AttachmentKind.PDF, "application/pdf", ".pdf"),
    AttachmentKind.DICOM: KindOfFile(AttachmentKind.DICOM, "application/dicom", ".dcm"),
}


def kind_of(data: bytes) -> KindOfFile | None:
    """What ``data`` is, by its content; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return _KINDS[AttachmentKind.JPEG]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _KINDS[AttachmentKind.PNG]
    if data.startswith(b"%PDF-"):
        return _KINDS[AttachmentKind.PDF]
    if data[_DICOM_PREAMBLE : _DICOM_PREAMBLE + 4] == b"DICM":
        return _KINDS[AttachmentKind.DICOM]
    return None


def content_type_of(attachment: StudyAttachment) -> str:
    return _KINDS[AttachmentKind(attachment.kind)].content_type


def _directory(hospital: Hospital) -> Path:
    return hospital_files_dir(hospital, area=AREA)


def attachment_path(*, hospital: Hospital, attachment: StudyAttachment) -> Path:
    return _directory(hospital) / attachment.stored_name


@audited("radiology_attachment.added")
def radiology_attachment_add(
    *, hospital: Hospital, study: Study, name: str, data: bytes, user: User
) -> StudyAttachment:
    """Attach ``data`` (uploaded as ``name``) to ``study``: refused when too big, not a
    JPEG, PNG, PDF or DICOM file, or the study is cancelled."""
    limit = settings.HMS_RADIOLOGY_UPLOAD_MAX_BYTES
    if not data:
        raise ValidationError(_("Choose a file."), field="file")
    if len(data) > limit:
        raise ValidationError(
            _("A file may be at most %(megabytes)s MB.") % {"megabytes": limit // (1024 * 1024)},
            field="file",
        )
    kind = kind_of(data)
    if kind is None:
        raise ValidationError(_("Attach a JPEG or PNG image, a PDF or a DICOM file."), field="file")
    if study.status == StudyStatus.CANCELLED:
        raise ValidationError(_("This study is cancelled."), field="file")
    stored_name = f"{uuid.uuid4().hex}{kind.extension}"
    path = _directory(hospital) / stored_name
    # written under a name of our own, privately, then the row: a failed insert removes
    # the file, so no row ever names a missing file
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    try:
        with tenant_atomic():
            attachment = StudyAttachment.objects.create(
                study=study,
                kind=kind.kind,
                original_name=Path(name).name[:200] or stored_name,
                stored_name=stored_name,
                size=len(data),
                uploaded_by_id=user.pk,
            )
            clinical_event_record(
                action="radiology_attachment.added",
                entity="radiology_study",
                entity_id=study.pk,
                entity_label=study.number,
                patient=study.patient,
                changes={"file": attachment.original_name, "kind": kind.kind, "size": len(data)},
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return attachment
