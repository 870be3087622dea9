"""Images and scans attached to a study: checked by content, size-limited, kept in the
hospital's own directory outside the web root, served only through the checked view."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.accounts.models import Role, User
from apps.core.exceptions import ValidationError
from apps.radiology.attachments import attachment_path, kind_of, radiology_attachment_add
from apps.radiology.models import Study, StudyAttachment
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60
PDF = b"%PDF-1.7\n" + b"x" * 60
DICOM = b"\x00" * 128 + b"DICM" + b"\x02" * 60


@pytest.fixture(autouse=True)
def files_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.HMS_HOSPITAL_FILES_DIR = tmp_path / "hospital_files"  # type: ignore[attr-defined]
    return tmp_path / "hospital_files"


@pytest.mark.parametrize(
    ("data", "kind"), [(JPEG, "jpeg"), (PNG, "png"), (PDF, "pdf"), (DICOM, "dicom")]
)
def test_the_type_is_told_by_the_content(data: bytes, kind: str) -> None:
    found = kind_of(data)
    assert found is not None and found.kind == kind


def test_a_file_named_like_an_image_but_not_one_is_refused(
    hospital_a: Hospital, study_a: Study, radiologist_a: User
) -> None:
    with tenant_context(hospital_a), pytest.raises(ValidationError, match="JPEG or PNG") as e:
        radiology_attachment_add(
            hospital=hospital_a,
            study=study_a,
            name="chest.jpg",
            data=b"<script>alert(1)</script>",
            user=radiologist_a,
        )
    assert e.value.field == "file"


def test_a_file_over_the_limit_is_refused(
    hospital_a: Hospital, study_a: Study, radiologist_a: User, settings: pytest.FixtureRequest
) -> None:
    settings.HMS_RADIOLOGY_UPLOAD_MAX_BYTES = 50  # type: ignore[attr-defined]
    with tenant_context(hospital_a), pytest.raises(ValidationError, match="at most"):
        radiology_attachment_add(
            hospital=hospital_a, study=study_a, name="a.png", data=PNG, user=radiologist_a
        )


def test_a_file_is_kept_in_the_hospitals_directory_under_a_name_of_our_own(
    hospital_a: Hospital, hospital_b: Hospital, study_a: Study, radiologist_a: User, files_dir: Path
) -> None:
    with tenant_context(hospital_a):
        attachment = radiology_attachment_add(
            hospital=hospital_a, study=study_a, name="../../etc/x.png", data=PNG, user=radiologist_a
        )
        path = attachment_path(hospital=hospital_a, attachment=attachment)
    assert attachment.original_name == "x.png"
    assert path.read_bytes() == PNG and path.parent.parent.parent == files_dir
    assert path.name == attachment.stored_name and path.suffix == ".png"
    assert f"hospital_{hospital_a.code.lower()}" in str(path)
    assert (path.stat().st_mode & 0o777) == 0o600


def upload(client: Client, study: Study, data: bytes, name: str = "scan.pdf") -> object:
    return client.post(
        f"/radiology/studies/{study.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data), "upload": name},
    )


def test_a_radiologist_attaches_and_a_doctor_opens_it(
    hospital_a: Hospital, study_a: Study, radiologist: Client
) -> None:
    assert upload(radiologist, study_a, PDF).status_code == 302  # type: ignore[attr-defined]
    with tenant_context(hospital_a):
        attachment = StudyAttachment.objects.get()
    url = f"/radiology/studies/{study_a.pk}/attachments/{attachment.pk}/"
    assert url in radiologist.get(f"/radiology/studies/{study_a.pk}/").text
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    response = doctor.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_dicom_file_is_downloaded_not_shown(
    hospital_a: Hospital, study_a: Study, radiologist: Client
) -> None:
    upload(radiologist, study_a, DICOM, name="image.dcm")
    with tenant_context(hospital_a):
        attachment = StudyAttachment.objects.get()
    response = radiologist.get(f"/radiology/studies/{study_a.pk}/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "application/dicom"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_bad_file_is_refused_next_to_the_field(study_a: Study, radiologist: Client) -> None:
    response = upload(radiologist, study_a, b"MZ\x90\x00 not an image", name="x.jpg")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert 'id="id_file_error"' in response.text  # type: ignore[attr-defined]


def test_the_file_is_refused_to_other_roles_and_other_hospitals(
    hospital_a: Hospital,
    study_a: Study,
    radiologist: Client,
    admin_b: User,
    client_b: Client,
) -> None:
    upload(radiologist, study_a, PNG, name="a.png")
    with tenant_context(hospital_a):
        attachment = StudyAttachment.objects.get()
    url = f"/radiology/studies/{study_a.pk}/attachments/{attachment.pk}/"
    for role in (Role.RECEPTIONIST, Role.PHARMACIST, Role.LAB_TECHNICIAN, Role.NURSE):
        assert hospital_client(hospital_a, make_user(hospital_a, role)).get(url).status_code == 403
    assert hospital_client(hospital_a, admin_b).get(url).status_code == 403
    assert client_b.get(url).status_code == 404
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    assert upload(doctor, study_a, PNG).status_code == 403  # type: ignore[attr-defined]
