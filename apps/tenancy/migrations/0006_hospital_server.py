from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0005_recovery_and_health"),
    ]

    operations = [
        migrations.AddField(
            model_name="hospital",
            name="server",
            field=models.CharField(
                blank=True, default="", max_length=16, verbose_name="database server"
            ),
        ),
    ]
