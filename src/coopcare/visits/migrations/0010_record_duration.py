"""Each visit record keeps its duration (check-out less check-in), filled in here for the
records already checked out."""

from django.db import migrations, models
from django.db.models import F


def fill_durations(apps, schema_editor) -> None:
    """The records checked out so far get check-out less check-in, in one statement."""
    VisitRecord = apps.get_model("visits", "VisitRecord")
    VisitRecord.objects.filter(checked_out_at__isnull=False).update(
        duration=F("checked_out_at") - F("checked_in_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0009_incident_client_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="visitrecord",
            name="duration",
            field=models.DurationField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_durations, migrations.RunPython.noop, elidable=True),
    ]
