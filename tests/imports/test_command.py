"""``coopcare import``: a dry run writes nothing; bad input is one line and a non-zero exit."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role
from tests import factories
from tests.imports.conftest import csv_bytes


@pytest.fixture
def people_file(tmp_path, people_rows):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(people_rows))
    return path


def test_dry_run_then_import(coordinator, people_file, capsys):
    args = ["import", "people", str(people_file), "--cooperative", "cura", "--user", "coord"]
    call_command(*args, "--dry-run")
    assert "would import" in capsys.readouterr().out
    assert not PersonCaredFor.objects.exists()
    call_command(*args)
    assert PersonCaredFor.objects.count() == 2


def test_bad_input_is_a_command_error(coop, coordinator, tmp_path, people_file):
    carer = factories.user_with_role(coop, Role.CARER, username="carer")
    base = ["import", "people", "--cooperative", "cura"]
    bad = tmp_path / "people.txt"
    bad.write_bytes(b"full_name\nAnna\n")
    with pytest.raises(CommandError, match="Columns missing"):
        call_command(*base[:2], str(bad), *base[2:], "--user", "coord")
    with pytest.raises(CommandError, match="may not import"):
        call_command(*base[:2], str(people_file), *base[2:], "--user", carer.username)
    with pytest.raises(CommandError, match="No such file"):
        call_command(*base[:2], str(tmp_path / "gone.csv"), *base[2:], "--user", "coord")
