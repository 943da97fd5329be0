from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("respite", "0001_caregivers_support_plans_gatherings"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="caregiverread",
            options={
                "ordering": ["-at"],
                "verbose_name": "caregiver record read",
                "verbose_name_plural": "caregiver record reads",
            },
        ),
        migrations.AddField(
            model_name="caregiverread",
            name="record",
            # The reads logged before this field were all of the caregiver's record.
            field=models.CharField(default="record", max_length=60, verbose_name="what was read"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="caregiverread",
            name="at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.AlterField(
            model_name="caregiverread",
            name="via",
            field=models.CharField(default="web", max_length=10, verbose_name="through"),
        ),
    ]
