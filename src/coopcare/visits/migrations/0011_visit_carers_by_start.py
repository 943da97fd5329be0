"""The carers of visits become a model of their own, ``VisitCarer``, on the table Django made
for the plain many-to-many (``visits_visit_carers``, kept as it is: no copy), with the visit's
start copied beside each carer and an index on (carer, start), so that a carer's visits of a
span are found without reading the carer's whole history (issue 27)."""

from django.conf import settings
from django.db import migrations, models

# Plain SQL that SQLite and PostgreSQL both run: one statement, however many rows.
COPY_STARTS = """
UPDATE visits_visit_carers
SET starts_at = (SELECT starts_at FROM visits_visit WHERE visits_visit.id = visits_visit_carers.visit_id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0010_record_duration"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The model as Django sees it, on the table and columns that exist: nothing changes in
        # the database.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="VisitCarer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "visit",
                            models.ForeignKey(
                                on_delete=models.deletion.CASCADE,
                                related_name="carer_rows",
                                to="visits.visit",
                            ),
                        ),
                        (
                            "carer",
                            models.ForeignKey(
                                db_column="user_id",
                                on_delete=models.deletion.CASCADE,
                                related_name="visit_rows",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "carer of a visit",
                        "verbose_name_plural": "carers of visits",
                        "db_table": "visits_visit_carers",
                        "unique_together": {("visit", "carer")},
                    },
                ),
                migrations.AlterField(
                    model_name="visit",
                    name="carers",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="visits",
                        through="visits.VisitCarer",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="carers",
                    ),
                ),
            ],
        ),
        # The start, empty at first, filled from the visits, then required.
        migrations.AddField(
            model_name="visitcarer",
            name="starts_at",
            field=models.DateTimeField(null=True, verbose_name="starts"),
        ),
        migrations.RunSQL(COPY_STARTS, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="visitcarer",
            name="starts_at",
            field=models.DateTimeField(verbose_name="starts"),
        ),
        migrations.AddIndex(
            model_name="visitcarer",
            index=models.Index(fields=["carer", "starts_at"], name="visit_carer_start"),
        ),
    ]
