# The id column was a UUID while prescription items are numbered by integers, so no
# dispensing could ever be linked; no row holds one yet, so the column is replaced.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("pharmacy", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="saleline", name="prescription_item_id"),
        migrations.AddField(
            model_name="saleline",
            name="prescription_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consultations.prescriptionitem",
                verbose_name="prescription item",
            ),
        ),
    ]
