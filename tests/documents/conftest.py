from datetime import timedelta

import pytest
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.documents import services
from tests import factories
from tests.documents import files


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files stored under a temporary MEDIA_ROOT, as the default settings store them."""
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="carer")


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Giuseppe Zanetti")


@pytest.fixture
def served(person, carer):
    """``person`` has a visit by ``carer`` today, so the carer may see their records now."""
    factories.visit(person, [carer], day=timezone.localdate())
    return person


@pytest.fixture
def consent(coop, person, coordinator):
    """A signed consent form kept on ``person``."""
    return services.upload(
        coop,
        person=person,
        kind="consent_form",
        title="Consent to care",
        file=files.upload(),
        by=coordinator,
    )


@pytest.fixture
def background_check(coop, carer, coordinator):
    """A background check kept on ``carer``, expiring in ten days."""
    return services.upload(
        coop,
        carer=carer,
        kind="background_check",
        title="Criminal record certificate",
        file=files.upload(files.PNG, "check.png", "image/png"),
        expires_on=timezone.localdate() + timedelta(days=10),
        by=coordinator,
    )
