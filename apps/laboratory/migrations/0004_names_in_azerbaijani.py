"""Lab tests and panels carry an Azerbaijani name beside the English one (shown to
Azerbaijani readers by ``apps.core.names.display_name``); the canonical rows get the
names the catalogue gives them."""

from django.db import migrations, models

#: the Azerbaijani names of the canonical catalogue, as data/catalogue.json gives them
TEST_NAMES = {
    "HGB": "Hemoqlobin",
    "HCT": "Hematokrit",
    "RBC": "Eritrositlər",
    "WBC": "Leykositlər",
    "PLT": "Trombositlər",
    "MCV": "Eritrositin orta həcmi (MCV)",
    "GLU": "Qlükoza, acqarına",
    "HBA1C": "Qlikozilləşmiş hemoqlobin (HbA1c)",
    "CREA": "Kreatinin",
    "UREA": "Sidik cövhəri (karbamid)",
    "NA": "Natrium",
    "K": "Kalium",
    "ALT": "Alaninaminotransferaza (ALT)",
    "AST": "Aspartataminotransferaza (AST)",
    "TBIL": "Bilirubin, ümumi",
    "CRP": "C-reaktiv zülal",
    "TSH": "Tireotrop hormon (TSH)",
    "ABORH": "Qan qrupu (AB0 və Rh)",
}
PANEL_NAMES = {
    "CBC": "Ümumi qan analizi",
    "RFT": "Böyrək funksiyası (kreatinin, sidik cövhəri, natrium, kalium)",
    "LFT": "Qaraciyər funksiyası (ALT, AST, bilirubin)",
}


def name_canonical_rows_in_azerbaijani(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name, names in (("LabTest", TEST_NAMES), ("LabPanel", PANEL_NAMES)):
        model = apps.get_model("laboratory", model_name)
        for row in model.objects.using(alias).filter(is_canonical=True, code__in=names):
            row.name_az = names[row.code]
            row.save(update_fields=["name_az"])


class Migration(migrations.Migration):
    dependencies = [
        ("laboratory", "0003_amendment_approvals"),
    ]

    operations = [
        migrations.AddField(
            model_name="labpanel",
            name="name_az",
            field=models.CharField(blank=True, max_length=200, verbose_name="Name in Azerbaijani"),
        ),
        migrations.AddField(
            model_name="labtest",
            name="name_az",
            field=models.CharField(blank=True, max_length=200, verbose_name="Name in Azerbaijani"),
        ),
        migrations.RunPython(name_canonical_rows_in_azerbaijani, migrations.RunPython.noop),
    ]
