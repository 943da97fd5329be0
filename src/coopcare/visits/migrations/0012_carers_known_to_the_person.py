"""Each carer's row of a visit gets the visit's person, copied like its start, and whether the
person knew the carer (``known``: the carer had visited them, on a visit not cancelled, in the
8 weeks before), so that continuity of care over a year is a count (issue 27)."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q

# Plain SQL that SQLite and PostgreSQL both run: one statement, however many rows.
COPY_PEOPLE = """
UPDATE visits_visit_carers
SET person_id = (
    SELECT person_id FROM visits_visit WHERE visits_visit.id = visits_visit_carers.visit_id
)
"""


# On PostgreSQL, one pass over each person's and carer's rows in order: the latest visit not
# cancelled before each row, in a window. The correlated form below reads, for each row, every
# row of the same person and carer (16 minutes for 3.4 M rows, against a few here).
KNOWN_IN_ORDER = """
UPDATE visits_visit_carers AS t SET known = true
FROM (
    SELECT vc.id, vc.starts_at, max(vc.starts_at) FILTER (WHERE v.status <> 'cancelled') OVER (
        PARTITION BY vc.person_id, vc.user_id ORDER BY vc.starts_at, vc.visit_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS before
    FROM visits_visit_carers AS vc JOIN visits_visit AS v ON v.id = vc.visit_id
) AS s
WHERE s.id = t.id AND s.before >= s.starts_at - interval '8 weeks'
"""


def reckon_known(apps, schema_editor):
    """``known`` of every row, as ``visits.models.reckon_known_of`` works it out then."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(KNOWN_IN_ORDER)
        return
    VisitCarer = apps.get_model("visits", "VisitCarer")
    earlier = (
        VisitCarer.objects.filter(
            person=OuterRef("person"),
            carer=OuterRef("carer"),
            starts_at__gte=OuterRef("starts_at") - timedelta(weeks=8),
        )
        .filter(
            Q(starts_at__lt=OuterRef("starts_at"))
            | Q(starts_at=OuterRef("starts_at"), visit_id__lt=OuterRef("visit_id"))
        )
        .exclude(visit__status="cancelled")
    )
    VisitCarer.objects.update(known=Exists(earlier))


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0010_circle_may_message"),
        ("visits", "0011_visit_carers_by_start"),
    ]

    operations = [
        migrations.AddField(
            model_name="visitcarer",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="care.personcaredfor",
            ),
        ),
        migrations.AddField(
            model_name="visitcarer",
            name="known",
            field=models.BooleanField(default=False, verbose_name="known to the person"),
        ),
        migrations.RunSQL(COPY_PEOPLE, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="visitcarer",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="care.personcaredfor",
            ),
        ),
        migrations.AddIndex(
            model_name="visitcarer",
            index=models.Index(fields=["person", "carer", "starts_at"], name="visit_carer_known"),
        ),
        migrations.RunPython(reckon_known, migrations.RunPython.noop),
    ]
