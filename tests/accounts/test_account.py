"""A user's own choices: the language of every page, whatever the browser says."""

from coopcare.accounts.models import Profile
from tests import factories


def test_the_language_chosen_on_the_account_wins_over_the_browser(client, coop):
    user = factories.user_with_role(coop, "carer")
    factories.log_in(client, user)
    response = client.post(
        "/accounts/", {"language": "ar", "gender": "", "desired_weekly_hours": ""}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ar"
    assert Profile.objects.get(user=user).language == "ar"
    page = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="ar" dir="rtl"' in page.content.decode()


def test_no_choice_follows_the_browser(client, coop):
    factories.log_in(client, factories.user_with_role(coop, "carer"))
    page = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="es")
    assert 'lang="es" dir="ltr"' in page.content.decode()


def test_bad_choices_are_refused_and_nothing_is_saved(client, coop):
    user = factories.user_with_role(coop, "carer")
    factories.log_in(client, user)
    page = client.post("/accounts/", {"language": "xx", "desired_weekly_hours": "-3"})
    assert page.status_code == 200 and not Profile.objects.filter(user=user).exists()
    assert page.context["form"].errors.keys() == {"language", "desired_weekly_hours"}


def test_before_logging_in_the_language_is_picked_in_the_footer(client, db):
    page = client.post("/i18n/setlang/", {"language": "it", "next": "/accounts/login/"})
    assert page.status_code == 302
    assert 'lang="it"' in client.get("/accounts/login/").content.decode()
