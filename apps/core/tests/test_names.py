from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Template
from django.utils import translation

from apps.core.names import display_name, reader_language


@dataclass
class LabTestLike:
    name: str
    name_az: str = ""


@dataclass
class SpecializationLike:
    name: str
    name_en: str = ""


def test_the_reader_language_has_no_region() -> None:
    with translation.override("en-gb"):
        assert reader_language() == "en"


def test_a_name_shows_in_the_readers_language_where_translated() -> None:
    test = LabTestLike(name="Haemoglobin", name_az="Hemoqlobin")
    specialization = SpecializationLike(name="Terapevt", name_en="Internist")
    with translation.override("az"):
        assert display_name(test) == "Hemoqlobin"
        assert display_name(specialization) == "Terapevt"
    with translation.override("en"):
        assert display_name(test) == "Haemoglobin"
        assert display_name(specialization) == "Internist"


def test_an_untranslated_name_shows_as_entered() -> None:
    with translation.override("az"):
        assert display_name(LabTestLike(name="Ferritin")) == "Ferritin"


def test_the_template_filter_takes_the_field() -> None:
    template = Template(
        '{% load hms_format %}{{ test|display_name }} {{ dx|display_name:"title" }}'
    )

    @dataclass
    class DiagnosisLike:
        title: str
        title_az: str

    context = Context(
        {"test": LabTestLike("Sodium", "Natrium"), "dx": DiagnosisLike("Fever", "Qızdırma")}
    )
    with translation.override("az"):
        assert template.render(context) == "Natrium Qızdırma"
    with translation.override("en"):
        assert template.render(context) == "Sodium Fever"
