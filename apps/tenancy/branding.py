"""A hospital's branding for its printed pages: the optional logo (read and replaced
here) beside the name and address on the Hospital row."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.exceptions import ValidationError
from apps.tenancy.models import Hospital, HospitalLogo

#: a print header needs no more; bigger files are refused, not resized
LOGO_MAX_BYTES = 512 * 1024
#: raster formats only (an SVG may carry script), recognised by their first bytes
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def logo_content_type(data: bytes) -> str | None:
    for signature, content_type in _SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def hospital_logo_get(*, hospital: Hospital) -> HospitalLogo | None:
    return HospitalLogo.objects.filter(hospital=hospital).first()


def hospital_logo_set(*, hospital: Hospital, data: bytes) -> HospitalLogo:
    """Replace the hospital's logo with ``data`` (PNG, JPEG, GIF or WebP, at most
    512 KB)."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 512 KB."), field="logo")
    content_type = logo_content_type(data)
    if content_type is None:
        raise ValidationError(_("Upload the logo as a PNG, JPEG, GIF or WebP image."), field="logo")
    logo, _created = HospitalLogo.objects.update_or_create(
        hospital=hospital, defaults={"data": data, "content_type": content_type}
    )
    return logo


def hospital_logo_remove(*, hospital: Hospital) -> None:
    HospitalLogo.objects.filter(hospital=hospital).delete()
