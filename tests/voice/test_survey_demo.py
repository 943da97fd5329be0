"""The demo's satisfaction surveys: last year's closed with its results shown, this year's
open for the ``family`` and ``carer`` logins to answer."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from coopcare.cooperatives.models import Cooperative, Role
from coopcare.demo import seed as demo
from coopcare.voice import queries, services


@pytest.fixture
def media(settings, tmp_path):
    """The demo's documents stored under a temporary MEDIA_ROOT."""
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_demo_has_last_years_results_and_this_years_survey_to_answer(media):
    today = timezone.localdate()
    demo.seed(1, today, roster=False)
    coop = Cooperative.objects.get(slug="cura-insieme")
    last_year = queries.surveys(coop).get(year=today.year - 1)
    assert all(result.shown for result in queries.survey_results(last_year))
    users = get_user_model().objects
    for username, role in (("family", Role.CIRCLE), ("carer", Role.CARER)):
        (this_year,) = queries.surveys_open_to(coop, {role}, today)
        assert this_year.year == today.year
        user = users.get(username=username)
        scores = [4] * len(this_year.questions)
        assert services.answer_survey(this_year, user, {role}, scores=scores).respondent is None
