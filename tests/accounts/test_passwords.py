"""Changing one's password, and resetting a forgotten one by a link sent by email."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.utils import translation

from coopcare.accounts.models import Profile
from coopcare.cooperatives.models import Role
from tests import factories


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, username="rosa", email="rosa@example.org")


def can_log_in(client, password) -> bool:
    client.logout()
    client.post("/accounts/login/", {"username": "rosa", "password": password})
    return "_auth_user_id" in client.session


def test_the_account_and_login_pages_lead_to_the_password_pages(client, carer):
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login
    factories.log_in(client, carer)
    assert 'href="/accounts/password_change/"' in client.get("/accounts/").content.decode()


def test_change_needs_the_old_password_and_keeps_the_session(client, carer):
    factories.log_in(client, carer)
    assert client.get("/accounts/password_change/").status_code == 200
    new = "a-long-new-password-42"
    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "nope", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    carer.refresh_from_db()
    assert carer.check_password("pw")

    done = client.post(
        "/accounts/password_change/",
        {"old_password": "pw", "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302 and done.url == "/accounts/"
    assert client.get("/accounts/").status_code == 200  # still logged in
    carer.refresh_from_db()
    assert carer.check_password(new)
    assert can_log_in(client, new) and not can_log_in(client, "pw")


def test_change_needs_a_login(client, db):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def reset_link(mail) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.body).group(1)


def test_reset_by_the_link_in_the_email(client, carer, mailoutbox):
    assert client.get("/accounts/password_reset/").status_code == 200
    sent = client.post("/accounts/password_reset/", {"email": "rosa@example.org"})
    assert sent.status_code == 302 and sent.url == "/accounts/password_reset/sent/"
    assert client.get(sent.url).status_code == 200
    (mail,) = mailoutbox
    assert mail.to == ["rosa@example.org"] and "rosa" in mail.body
    assert "\n" not in mail.subject

    link = reset_link(mail)
    form_page = client.get(link, follow=True)  # Django swaps the token for a session key
    assert form_page.status_code == 200 and form_page.context["validlink"]
    new = "a-long-new-password-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302 and done.url == "/accounts/reset/done/"
    assert client.get(done.url).status_code == 200
    assert can_log_in(client, new)

    # The link works once.
    client.logout()
    again = client.get(link, follow=True)
    assert not again.context["validlink"]


def test_the_answer_does_not_say_whether_the_address_has_an_account(client, carer, mailoutbox):
    known = client.post("/accounts/password_reset/", {"email": "rosa@example.org"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mailoutbox) == 1  # the unknown address gets nothing
    page = client.get(unknown.url).content.decode()
    assert "nobody@example.org" not in page and "If an account uses that address" in page


def test_a_link_expires_after_a_day(client, carer, mailoutbox, monkeypatch, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 60 * 60
    client.post("/accounts/password_reset/", {"email": "rosa@example.org"})
    link = reset_link(mailoutbox[0])
    later = default_token_generator._now() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = client.get(link, follow=True)
    assert not page.context["validlink"]
    assert "more than a day old" in page.content.decode()


def test_a_reset_lifts_the_lockout_of_the_account(client, carer, mailoutbox, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "rosa", "password": "guess"})
    assert not can_log_in(client, "pw")
    client.post("/accounts/password_reset/", {"email": "rosa@example.org"})
    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    new = "a-long-new-password-42"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert can_log_in(client, new)


def test_the_email_is_written_in_the_language_the_user_chose(client, carer, monkeypatch):
    Profile.objects.create(user=carer, language="it")
    languages = []
    monkeypatch.setattr(
        auth_forms.PasswordResetForm,
        "send_mail",
        lambda *args, **kwargs: languages.append(translation.get_language()),
    )
    client.post(
        "/accounts/password_reset/", {"email": "rosa@example.org"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert languages == ["it"]


def test_a_login_made_without_a_password_gets_its_link_and_chooses_one(client, coop, mailoutbox):
    """A carer imported from a spreadsheet has a login with no password (``add_login``): the
    forgotten-password page is how they choose one, so it sends them the link."""
    from coopcare.cooperatives.services import add_login

    imported = add_login(
        coop, email="nadia@example.org", first_name="Nadia", last_name="Haddad", role=Role.CARER
    )
    assert not imported.has_usable_password()
    client.post("/accounts/password_reset/", {"email": "Nadia@Example.org"})
    (mail,) = mailoutbox
    assert mail.to == ["nadia@example.org"]
    form_page = client.get(reset_link(mail), follow=True)
    new = "a-long-new-password-42"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    imported.refresh_from_db()
    assert imported.check_password(new)


def test_an_inactive_login_gets_no_link(client, carer, mailoutbox):
    carer.is_active = False
    carer.save()
    client.post("/accounts/password_reset/", {"email": "rosa@example.org"})
    assert mailoutbox == []
