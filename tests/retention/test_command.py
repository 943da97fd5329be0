"""``coopcare retention``: the daily run from the command line, dry or not, and its refusals."""

from io import StringIO

import pytest
from django.core.management import call_command

from coopcare.care.models import PersonCaredFor
from coopcare.retention.models import RetentionRun

pytestmark = pytest.mark.django_db


def test_a_dry_run_prints_what_it_would_do_and_writes_nothing(coop, past):
    free, _held = past
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert f"{coop.slug} (dry run): care_records 1 (held 1)" in out.getvalue()
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "Edith Clarke"
    assert not RetentionRun.objects.exists()


def test_a_run_anonymises_and_reports(coop, past):
    free, _held = past
    out = StringIO()
    call_command("retention", "--cooperative", coop.slug, stdout=out)
    assert "care_records 1 (held 1)" in out.getvalue()
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "#1"
    assert RetentionRun.objects.get().run_by is None


def test_an_unknown_cooperative_is_one_line_and_a_non_zero_exit(coop):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("retention", "--cooperative", "nowhere", stderr=err)
    assert exit_.value.code == 2
    assert err.getvalue().strip() == "No cooperative 'nowhere'."


def test_queued_runs_go_through_the_worker(coop, past):
    free, _held = past
    call_command("retention", "--queue", stdout=StringIO())
    # The test settings run tasks at once.
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "#1"
