"""The yearly satisfaction survey: opened by a coordinator, answered once, anonymous when it
says so, its results shown only from 5 answers."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.voice import queries, rules, services
from coopcare.voice.models import Survey, SurveyAnswer, SurveyAnswered
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


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def test_a_survey_opens_with_the_built_in_questions_or_the_coordinators_words(coop, coordinator):
    survey = open_survey(coop, coordinator)
    assert survey.questions == rules.default_survey_questions("circle")
    assert survey.open_question == str(rules.SURVEY_OPEN_QUESTION)
    worded = open_survey(coop, coordinator, audience="carers", questions=["  Is the rota fair?  "])
    assert worded.questions == ["Is the rota fair?"]


def test_a_survey_with_an_empty_question_or_past_closing_day_is_refused(coop, coordinator):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.open_survey(
            coop,
            by=coordinator,
            year=today.year,
            audience="circle",
            closes_on=today - timedelta(days=1),
            questions=["Fine?", " "],
        )
    assert codes(refused.value) == {"survey_question_empty", "survey_closes_in_past"}
    assert not Survey.objects.exists()


def test_a_second_survey_of_the_same_year_and_audience_is_refused(coop, coordinator):
    open_survey(coop, coordinator)
    with pytest.raises(ValidationError) as refused:
        open_survey(coop, coordinator)
    assert codes(refused.value) == {"survey_already_open"}


def test_an_anonymous_answer_names_no_one_and_nothing_links_it_to_its_author(
    coop, coordinator, person
):
    survey = open_survey(coop, coordinator)
    family = relative(person)
    answer = services.answer_survey(
        survey, family, {Role.CIRCLE}, scores=[5, 4, 3, 5], words="Thank you."
    )
    assert answer.respondent is None
    answered = SurveyAnswered.objects.get(survey=survey)
    assert answered.user == family
    # The two rows share no key, time or order: both keys are random.
    fields = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert not fields & {"answered", "user", "given_at", "created_at"}
    assert {f.name for f in SurveyAnswered._meta.get_fields()} == {"id", "survey", "user"}
    assert answer.pk.version == 4 and answered.pk.version == 4


def test_a_named_survey_keeps_who_answered(coop, coordinator, person):
    survey = open_survey(coop, coordinator, anonymous=False)
    family = relative(person)
    answer = services.answer_survey(survey, family, {Role.CIRCLE}, scores=[5, 4, 3, 5])
    assert answer.respondent == family


def test_answering_twice_is_refused_and_saves_nothing(coop, coordinator, person):
    survey = open_survey(coop, coordinator)
    family = relative(person)
    services.answer_survey(survey, family, {Role.CIRCLE}, scores=[5, 4, 3, 5])
    with pytest.raises(ValidationError) as refused:
        services.answer_survey(survey, family, {Role.CIRCLE}, scores=[1, 1, 1, 1])
    assert codes(refused.value) == {"survey_already_answered"}
    assert SurveyAnswer.objects.count() == 1


def test_an_answer_needs_a_score_from_1_to_5_for_every_question_while_open(
    coop, coordinator, person
):
    survey = open_survey(coop, coordinator)
    family = relative(person)
    with pytest.raises(ValidationError) as refused:
        services.answer_survey(
            survey, family, {Role.CIRCLE}, scores=[5, 6, 3], today=survey.closes_on + timedelta(1)
        )
    assert codes(refused.value) == {"survey_closed", "survey_scores_invalid"}
    assert not SurveyAnswer.objects.exists() and not SurveyAnswered.objects.exists()


def test_a_survey_of_the_circle_does_not_ask_carers(coop, coordinator, carer):
    survey = open_survey(coop, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.answer_survey(survey, carer, {Role.CARER}, scores=[5, 4, 3, 5])
    assert codes(refused.value) == {"survey_not_for_you"}
    assert queries.surveys_open_to(coop, {Role.CARER}, timezone.localdate()) == []
    assert queries.surveys_open_to(coop, {Role.CIRCLE}, timezone.localdate()) == [survey]


def test_answers_taken_by_phone_are_marked_so_and_name_no_one(coop, coordinator):
    survey = open_survey(coop, coordinator, audience="both")
    answer = services.record_phone_answer(survey, side="carers", scores=[4, 4, 4])
    assert answer.by_phone and answer.respondent is None
    assert not SurveyAnswered.objects.exists()


def test_results_are_suppressed_under_five_answers(coop, coordinator):
    """Source: the federation's small-number rule (``impact.federation.SMALL_COUNT``: no count
    from 1 to 4 is shown). Worked example: with 4 answers nothing is shown; a fifth answer of
    [1, 2, 3] to four answers of [5, 4, 4] shows for the first question a distribution of one
    1 and four 5s, and a mean of (1 + 5 × 4) / 5 = 4.2."""
    survey = open_survey(coop, coordinator, audience="both")
    for _ in range(4):
        services.record_phone_answer(survey, side="circle", scores=[5, 4, 4])
    first = queries.survey_results(survey)[0]
    assert (first.count, first.shown, first.distribution, first.mean) == (4, False, None, None)
    services.record_phone_answer(survey, side="carers", scores=[1, 2, 3])
    first = queries.survey_results(survey)[0]
    assert (first.count, first.shown, first.distribution) == (5, True, (1, 0, 0, 0, 4))
    assert str(first.mean) == "4.2"
    assert not queries.survey_results(survey, side="carers")[0].shown


def test_no_answers_show_nothing(coop, coordinator):
    survey = open_survey(coop, coordinator)
    assert [r.shown for r in queries.survey_results(survey)] == [False] * 4


def test_a_closed_survey_takes_no_more_answers_and_counts_in_the_period_it_closed(
    coop, coordinator, person
):
    survey = open_survey(coop, coordinator)
    family = relative(person)
    today = timezone.localdate()
    closed = services.close_survey(survey, today=today)
    assert closed.closed and closed.closes_on == today
    with pytest.raises(ValidationError) as refused:
        services.answer_survey(survey, family, {Role.CIRCLE}, scores=[5, 5, 5, 5], today=today)
    assert codes(refused.value) == {"survey_closed"}
    with pytest.raises(ValidationError) as by_phone:
        services.record_phone_answer(survey, side="circle", scores=[5, 5, 5, 5], today=today)
    assert codes(by_phone.value) == {"survey_closed"}
    assert not SurveyAnswer.objects.exists() and not SurveyAnswered.objects.exists()
    assert queries.surveys_open_to(coop, {Role.CIRCLE}, today) == []
    with pytest.raises(ValidationError) as twice:
        services.close_survey(survey, today=today)
    assert codes(twice.value) == {"survey_already_closed"}


def test_a_survey_past_its_day_is_already_closed(coop, coordinator):
    survey = open_survey(coop, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.close_survey(survey, today=survey.closes_on + timedelta(days=1))
    assert codes(refused.value) == {"survey_already_closed"}
    survey.refresh_from_db()
    assert not survey.closed


def test_the_surveys_to_answer_leave_out_those_answered(coop, coordinator, person):
    circle = open_survey(coop, coordinator)
    both = open_survey(coop, coordinator, audience="both")
    family = relative(person)
    today = timezone.localdate()
    assert {s.pk for s in queries.surveys_to_answer(coop, family, {Role.CIRCLE}, today)} == {
        circle.pk,
        both.pk,
    }
    services.answer_survey(both, family, {Role.CIRCLE}, scores=[3, 3, 3])
    assert queries.surveys_to_answer(coop, family, {Role.CIRCLE}, today) == [circle]
