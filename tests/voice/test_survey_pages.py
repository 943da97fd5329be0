"""The satisfaction survey's pages: those it asks answer it once from their dashboard, without
their name when it is anonymous; the office opens, closes and takes answers by phone; the
office and the board read the results, held back under 5 answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.voice import services
from coopcare.voice.models import Survey, SurveyAnswer, SurveyAnswered
from tests import factories
from tests.voice.conftest import relative


def open_survey(coop, coordinator, audience="circle", **fields):
    today = timezone.localdate()
    return services.open_survey(
        coop,
        by=coordinator,
        year=today.year,
        audience=audience,
        closes_on=today + timedelta(days=30),
        **fields,
    )


def answers(survey, *scores) -> dict:
    """The posted form of one answer: ``scores`` in the questions' order."""
    return {f"q{index}": str(score) for index, score in enumerate(scores)}


def url(survey, page="") -> str:
    return f"/c/{survey.cooperative.slug}/voice/surveys/{survey.pk}/{page}"


def test_the_family_answers_once_from_its_dashboard_and_is_not_named(
    client, coop, coordinator, family
):
    survey = open_survey(coop, coordinator)
    factories.log_in(client, family)
    dashboard = client.get(f"/c/{coop.slug}/").content.decode()
    assert url(survey, "answer/") in dashboard

    page = client.get(url(survey, "answer/")).content.decode()
    assert "This survey is anonymous." in page
    # Four questions of five large labelled choices, then the open question.
    assert page.count('type="radio"') == 4 * 5
    assert "Is there anything you would like us to change?" in page
    sent = client.post(
        url(survey, "answer/"), answers(survey, 5, 4, 3, 5) | {"words": "More time on Sundays"}
    )
    assert sent.status_code == 302 and sent["Location"] == url(survey, "thanks/")
    assert "Thank you" in client.get(url(survey, "thanks/")).content.decode()

    answer = SurveyAnswer.objects.get()
    assert (answer.scores, answer.words, answer.respondent, answer.by_phone) == (
        [5, 4, 3, 5],
        "More time on Sundays",
        None,
        False,
    )
    # What is kept of the family is that it answered, with nothing to match it to the answer.
    answered = SurveyAnswered.objects.get()
    assert answered.user == family
    assert {f.name for f in SurveyAnswered._meta.get_fields()} == {"id", "survey", "user"}

    again = client.get(url(survey, "answer/")).content.decode()
    assert "You have already answered this survey." in again and 'type="radio"' not in again
    twice = client.post(url(survey, "answer/"), answers(survey, 1, 1, 1, 1))
    assert twice.status_code == 400 and SurveyAnswer.objects.count() == 1
    assert url(survey, "answer/") not in client.get(f"/c/{coop.slug}/").content.decode()


def test_a_survey_that_is_not_anonymous_says_so_and_keeps_the_name(
    client, coop, coordinator, carer
):
    survey = open_survey(coop, coordinator, audience="carers", anonymous=False)
    factories.log_in(client, carer)
    assert "This survey is not anonymous." in client.get(url(survey, "answer/")).content.decode()
    client.post(url(survey, "answer/"), answers(survey, 4, 4, 4, 4) | {"words": "Fine"})
    assert SurveyAnswer.objects.get().respondent == carer


def test_a_missing_score_is_shown_on_its_question_and_saves_nothing(
    client, coop, coordinator, family
):
    survey = open_survey(coop, coordinator)
    factories.log_in(client, family)
    refused = client.post(url(survey, "answer/"), answers(survey, 5, 4, 3))
    assert refused.status_code == 400
    page = refused.content.decode()
    # The error has the id the question's fieldset is described by.
    assert 'id="id_q3_error"' in page and 'aria-describedby="id_q3_error"' in page
    assert not SurveyAnswer.objects.exists() and not SurveyAnswered.objects.exists()


def test_the_answering_page_reads_right_to_left_in_arabic(client, coop, coordinator, family):
    survey = open_survey(coop, coordinator)
    factories.log_in(client, family)
    page = client.get(url(survey, "answer/"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_a_survey_that_does_not_ask_them_is_not_found_and_the_office_does_not_answer(
    client, coop, coordinator, carer, family
):
    survey = open_survey(coop, coordinator, audience="circle")
    factories.log_in(client, carer)
    assert client.get(url(survey, "answer/")).status_code == 404
    assert url(survey, "answer/") not in client.get(f"/c/{coop.slug}/").content.decode()
    factories.log_in(client, coordinator)
    assert client.get(url(survey, "answer/")).status_code == 403


def test_the_office_closes_a_survey_and_it_refuses_answers(client, coop, coordinator, family):
    survey = open_survey(coop, coordinator)
    factories.log_in(client, coordinator)
    assert client.get(url(survey, "close/")).status_code == 405
    assert client.post(url(survey, "close/")).status_code == 302
    survey.refresh_from_db()
    assert survey.closed and survey.closes_on == timezone.localdate()
    closed_twice = client.post(url(survey, "close/"), follow=True).content.decode()
    assert "This survey has already closed." in closed_twice

    factories.log_in(client, family)
    page = client.get(url(survey, "answer/")).content.decode()
    assert "This survey has closed." in page and 'type="radio"' not in page
    assert client.post(url(survey, "answer/"), answers(survey, 5, 5, 5, 5)).status_code == 400
    assert not SurveyAnswer.objects.exists() and not SurveyAnswered.objects.exists()
    assert url(survey, "answer/") not in client.get(f"/c/{coop.slug}/").content.decode()


def test_the_office_takes_answers_by_phone_linked_to_no_one(client, coop, coordinator):
    survey = open_survey(coop, coordinator, audience="both")
    factories.log_in(client, coordinator)
    page = client.get(url(survey, "phone/")).content.decode()
    assert "linked to no one" in page and 'name="side"' in page
    missing_side = client.post(url(survey, "phone/"), answers(survey, 4, 4, 5))
    assert missing_side.status_code == 400 and not SurveyAnswer.objects.exists()
    taken = client.post(
        url(survey, "phone/"), answers(survey, 4, 4, 5) | {"side": "circle", "words": "Good"}
    )
    assert taken.status_code == 302
    answer = SurveyAnswer.objects.get()
    assert (answer.side, answer.scores, answer.by_phone, answer.respondent) == (
        "circle",
        [4, 4, 5],
        True,
        None,
    )
    assert not SurveyAnswered.objects.exists()


def test_a_phone_answer_to_a_survey_of_one_side_is_of_that_side(client, coop, coordinator):
    survey = open_survey(coop, coordinator, audience="carers")
    factories.log_in(client, coordinator)
    assert 'name="side"' not in client.get(url(survey, "phone/")).content.decode()
    client.post(url(survey, "phone/"), answers(survey, 3, 3, 3, 3))
    assert SurveyAnswer.objects.get().side == "carers"


def test_the_office_opens_a_survey_and_errors_show_on_their_fields(client, coop, coordinator):
    factories.log_in(client, coordinator)
    new = f"/c/{coop.slug}/voice/surveys/new/"
    today = timezone.localdate()
    past = client.post(
        new, {"year": today.year, "audience": "circle", "closes_on": today - timedelta(days=1)}
    )
    assert past.status_code == 400
    assert past.context["form"].errors["closes_on"] == ["A survey cannot close before today."]
    assert not Survey.objects.exists()

    opened = client.post(
        new,
        {
            "year": today.year,
            "audience": "carers",
            "closes_on": today + timedelta(days=14),
            "questions": "Is the rota fair?\n\n  Do you get your breaks?  ",
        },
    )
    survey = Survey.objects.get()
    assert opened.status_code == 302 and opened["Location"] == url(survey)
    # The box left unticked: not anonymous; the open question left empty: the built-in one.
    assert survey.questions == ["Is the rota fair?", "Do you get your breaks?"]
    assert survey.anonymous is False
    assert survey.open_question == "Is there anything you would like us to change?"

    again = client.post(
        new, {"year": today.year, "audience": "carers", "closes_on": today + timedelta(days=5)}
    )
    assert again.status_code == 400
    assert again.context["form"].errors["year"] == ["This year's survey of them is already open."]
    assert Survey.objects.count() == 1


def test_the_results_count_each_score_and_hold_back_small_numbers(
    client, coop, coordinator, person
):
    survey = open_survey(coop, coordinator, audience="both")
    relatives = [relative(person, username=f"family{n}") for n in range(4)]
    factories.user_with_role(coop, Role.CARER, username="carer")
    # Four of the circle answer from their logins, two more by phone; no carer answers.
    for user, (first, words) in zip(
        relatives, [(5, "Kind carers"), (4, ""), (4, "Sundays are short"), (2, "")], strict=True
    ):
        services.answer_survey(survey, user, {Role.CIRCLE}, scores=[first, 4, 5], words=words)
    for first in (1, 5):
        services.record_phone_answer(survey, side="circle", scores=[first, 4, 5])

    factories.log_in(client, coordinator)
    page = client.get(url(survey))
    text = page.content.decode()
    circle, carers = page.context["turnout"]
    assert (circle.asked, circle.online, circle.rate, circle.by_phone) == (4, 4, 100, 2)
    assert (carers.asked, carers.online, carers.rate, carers.by_phone) == (1, 0, 0, 0)
    first = page.context["results"][0]
    assert first.shown and first.distribution == (1, 1, 0, 2, 2)
    assert first.scale[3] == (4, "Good", 2, 33)
    assert "6 answers; mean 3.5 of 5." in text
    # Each side apart: the circle's six are shown, no carer answered.
    (circle_label, circle_results), (carers_label, carer_results) = page.context["by_side"]
    assert (circle_label, carers_label) == ("people cared for and their circle", "carers")
    assert circle_results[0].shown and not carer_results[0].shown
    # Anonymous: the words are shown, in no order that could tell who wrote them, and no name.
    assert [w.words for w in page.context["words"]] == ["Kind carers", "Sundays are short"]
    assert all(w.by == "" for w in page.context["words"])
    for user in relatives:
        assert user.username not in text and user.get_full_name() not in text
    assert f"/c/{coop.slug}/impact/report/{survey.closes_on.year}/" in text


def test_under_five_answers_nothing_but_the_count_is_shown(client, coop, coordinator, family):
    survey = open_survey(coop, coordinator)
    services.answer_survey(survey, family, {Role.CIRCLE}, scores=[1, 2, 3, 4], words="Secret")
    factories.log_in(client, coordinator)
    page = client.get(url(survey))
    text = page.content.decode()
    assert not any(r.shown for r in page.context["results"])
    assert page.context["words"] is None and "Secret" not in text
    assert "held back until 5 have answered" in text


def test_a_survey_that_is_not_anonymous_shows_who_wrote_what(client, coop, coordinator, carer):
    survey = open_survey(coop, coordinator, audience="carers", anonymous=False)
    carer.first_name, carer.last_name = "Rosa", "Bianchi"
    carer.save()
    services.answer_survey(survey, carer, {Role.CARER}, scores=[5, 5, 5, 5], words="Good rota")
    factories.log_in(client, coordinator)
    assert "Good rota</q> — Rosa Bianchi" in client.get(url(survey)).content.decode()


@pytest.mark.parametrize("who", ["board", "carer", "family"])
def test_who_reads_the_surveys(client, coop, coordinator, board, carer, family, who):
    survey = open_survey(coop, coordinator)
    user = {"board": board, "carer": carer, "family": family}[who]
    factories.log_in(client, user)
    pages = [f"/c/{coop.slug}/voice/surveys/", url(survey)]
    if who == "board":
        assert all(client.get(page).status_code == 200 for page in pages)
        assert 'voice/surveys/new/"' not in client.get(pages[0]).content.decode()
        office_only = [f"/c/{coop.slug}/voice/surveys/new/", url(survey, "phone/")]
        assert all(client.get(page).status_code == 403 for page in office_only)
        assert client.post(url(survey, "close/")).status_code == 403
    else:
        assert all(client.get(page).status_code == 403 for page in pages)


def test_another_cooperatives_survey_is_not_found(client, coop, coordinator):
    other = factories.CooperativeFactory(slug="altra")
    theirs = open_survey(other, factories.user_with_role(other, Role.COORDINATOR))
    factories.log_in(client, coordinator)
    for page in ("", "phone/", "close/"):
        assert client.get(f"/c/{coop.slug}/voice/surveys/{theirs.pk}/{page}").status_code == 404
    family = relative(factories.person_cared_for(coop), username="relative")
    factories.log_in(client, family)
    for page in ("answer/", "thanks/"):
        assert client.get(f"/c/{coop.slug}/voice/surveys/{theirs.pk}/{page}").status_code == 404
