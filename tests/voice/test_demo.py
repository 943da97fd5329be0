"""The demo's feedback and complaints: the ``family`` login gives feedback on yesterday's
visit and files a complaint, and the board reads the register with one complaint overdue."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from coopcare.care.models import CircleMember
from coopcare.cooperatives.models import Cooperative
from coopcare.demo import seed as demo
from coopcare.voice import access, queries
from coopcare.voice.models import Complaint, Feedback
from tests import factories


@pytest.fixture
def media(settings, tmp_path):
    """The demo's documents stored under a temporary MEDIA_ROOT."""
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_family_login_gives_feedback_and_complains(client, media):
    today = timezone.localdate()
    demo.seed(1, today, roster=False)
    coop = Cooperative.objects.get(slug="cura-insieme")
    users = get_user_model().objects
    family = users.get(username="family")
    grant = CircleMember.objects.get(user=family, revoked_on__isnull=True)
    person = grant.person

    # Feedback on recent visits, and complaints at every step, one overdue.
    assert Feedback.objects.filter(cooperative=coop).exclude(author=family).count() >= 10
    statuses = set(Complaint.objects.filter(cooperative=coop).values_list("status", flat=True))
    assert {"received", "investigated", "answered", "appealed", "closed"} <= statuses
    rows = queries.register(Complaint.objects.filter(cooperative=coop), queries.today(coop))
    assert [row.complaint.status for row in rows if row.overdue] == ["received"]

    factories.log_in(client, family)
    yesterday = person.visits.filter(starts_at__date=today - timedelta(days=1)).first()
    assert yesterday is not None
    assert not Feedback.objects.filter(visit=yesterday, author=family).exists()
    url = f"/c/{coop.slug}/voice/visits/{yesterday.pk}/feedback/"
    assert client.post(url, {"score": "4", "words": "On time"}).status_code == 302
    assert Feedback.objects.get(visit=yesterday, author=family).score == 4

    own = access.complaints_visible_to(family, coop, {"circle"})
    assert own.get().status == "answered"  # theirs to appeal
    response = client.post(
        f"/c/{coop.slug}/voice/people/{person.pk}/complaints/new/",
        {"about": "care", "description": "The evening visit was twenty minutes short."},
    )
    assert response.status_code == 302 and own.count() == 2

    factories.log_in(client, users.get(username="board"))
    register = client.get(f"/c/{coop.slug}/voice/complaints/")
    assert register.status_code == 200
    assert "The evening visit" not in register.content.decode()  # the register shows no story
    assert person.full_name in register.content.decode()
