from django.db import migrations, models

import apps.tenancy.models


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0006_hospital_server"),
    ]

    operations = [
        # Existing hospitals get the platform's zone (HMS_TIME_ZONE) of the machine that
        # migrates: what they were shown in until now.
        migrations.AddField(
            model_name="hospital",
            name="time_zone",
            field=models.CharField(
                default=apps.tenancy.models.default_time_zone,
                max_length=64,
                validators=[apps.tenancy.models.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
    ]
