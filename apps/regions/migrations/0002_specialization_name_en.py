"""Specializations carry their English name in a field (shown to English readers by
``apps.core.names.display_name``) instead of looking it up in the reference data file
at run time; the canonical rows get the names that file gave them."""

from django.db import migrations, models

#: the English names of the canonical specializations, as data/reference_data.json gave them
ENGLISH_NAMES = {
    "THER": "Internist",
    "CARD": "Cardiologist",
    "NEUR": "Neurologist",
    "PEDI": "Paediatrician",
    "SURG": "Surgeon",
    "ORTH": "Orthopaedist",
    "DERM": "Dermatologist",
    "GYNE": "Gynaecologist",
    "OPHT": "Ophthalmologist",
    "ENT": "ENT specialist",
    "UROL": "Urologist",
    "ENDO": "Endocrinologist",
    "FAM": "Family doctor",
    "GAST": "Gastroenterologist",
    "PULM": "Pulmonologist",
    "NEPH": "Nephrologist",
    "RHEU": "Rheumatologist",
    "HEMA": "Haematologist",
    "ONCO": "Oncologist",
    "INF": "Infectious disease specialist",
    "ALLR": "Allergist-immunologist",
    "PSYC": "Psychiatrist",
    "PSYT": "Psychotherapist",
    "NARC": "Addiction specialist",
    "ANES": "Anaesthesiologist",
    "EMER": "Emergency physician",
    "RADI": "Radiologist",
    "USD": "Ultrasound diagnostician",
    "FDX": "Functional diagnostics physician",
    "ENDS": "Endoscopist",
    "LAB": "Clinical laboratory physician",
    "PATH": "Pathologist",
    "NSUR": "Neurosurgeon",
    "CSUR": "Cardiovascular surgeon",
    "PSUR": "Paediatric surgeon",
    "PLAS": "Plastic surgeon",
    "TRAU": "Traumatologist",
    "NEON": "Neonatologist",
    "DENT": "Dentist",
    "ORTD": "Orthodontist",
    "PHYS": "Physiotherapist",
    "REHB": "Rehabilitation physician",
    "GERI": "Geriatrician",
    "TB": "Tuberculosis specialist",
    "MAMM": "Breast specialist",
    "PROC": "Proctologist",
    "DIET": "Dietitian",
    "GENE": "Medical geneticist",
    "ANDR": "Andrologist",
    "SPRT": "Sports physician",
    "TOXI": "Toxicologist",
    "EPID": "Epidemiologist",
}


def name_canonical_rows_in_english(apps, schema_editor):
    specialization_model = apps.get_model("regions", "Specialization")
    alias = schema_editor.connection.alias
    for specialization in specialization_model.objects.using(alias).filter(
        is_canonical=True, code__in=ENGLISH_NAMES
    ):
        specialization.name_en = ENGLISH_NAMES[specialization.code]
        specialization.save(update_fields=["name_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="specialization",
            name="name_en",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.RunPython(name_canonical_rows_in_english, migrations.RunPython.noop),
    ]
