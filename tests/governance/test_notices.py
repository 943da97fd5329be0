"""Notices of assemblies: who is called and who is not, the statutes' notice, the record of
each notice sent, amended notices, the members reached by post, the dashboard, the PDFs."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from pypdf import PdfReader

from coopcare.cooperatives.models import Role
from coopcare.governance import pdf, queries
from coopcare.governance.models import Assembly, AssemblyKind, AssemblyNotice
from coopcare.governance.services import notices
from coopcare.governance.services.assemblies import (
    add_agenda_item,
    call_assembly,
    close_session,
    open_session,
    record_attendance,
)
from coopcare.governance.services.minutes import publish_minutes
from coopcare.governance.services.proxies import give_proxy
from coopcare.members.services import admit, record_payment, share_balance
from tests import factories


def meets(day: int) -> datetime:
    return timezone.make_aware(datetime(2026, 5, day, 18))


CALLED_ON = date(2026, 4, 1)


@pytest.fixture
def people(coop, worker_class, supporter_class):
    """Two paid-up members with email, one without, one who still owes on their shares, an
    applicant, and a paid-up member of another cooperative."""
    other = factories.CooperativeFactory(slug="other")
    return {
        "ada": factories.admitted_member(
            worker_class, full_name="Ada", email="ada@example.org", works_since=date(2025, 1, 1)
        ),
        "bruno": factories.admitted_member(
            supporter_class, full_name="Bruno", email="bruno@example.org"
        ),
        "carla": factories.admitted_member(
            supporter_class, full_name="Carla", address="Via Roma 1, Bologna"
        ),
        "dora": factories.admitted_member(
            worker_class,
            full_name="Dora",
            email="dora@example.org",
            paid="100",
            works_since=date(2025, 1, 1),
        ),
        "elio": factories.applicant(supporter_class, full_name="Elio", email="elio@example.org"),
        "outsider": factories.admitted_member(
            factories.StakeholderClassFactory(cooperative=other),
            full_name="Fabio",
            email="fabio@example.org",
        ),
    }


def call(coop, starts_at=None, agenda=("Accounts 2025", "Roster policy"), **fields):
    return call_assembly(
        coop,
        kind=fields.pop("kind", AssemblyKind.ORDINARY),
        title=fields.pop("title", "General assembly 2026"),
        starts_at=starts_at or meets(20),
        called_on=fields.pop("called_on", CALLED_ON),
        place="Sala civica",
        online_link="https://meet.example.org/agm",
        agenda=list(agenda),
        **fields,
    )


def called(assembly) -> dict[str, str]:
    return {n.member.full_name: n.channel for n in AssemblyNotice.objects.filter(assembly=assembly)}


def test_calling_an_assembly_sends_its_notice_to_every_member_entitled_to_attend(
    coop, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assembly = call(coop, site_url="https://coop.example.org")
    # Dora owes on her shares (the statutes give votes to paid-up members), Elio is not yet
    # admitted, Fabio is of another cooperative; Carla has no email: she is sent a letter.
    assert called(assembly) == {"Ada": "email", "Bruno": "email", "Carla": "post"}
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bruno@example.org"]
    email = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert email.subject == "Notice: General assembly 2026"
    for text in (
        "Dear Ada",
        "Sala civica",
        "https://meet.example.org/agm",
        "1. Accounts 2025",
        "2. Roster policy",
        f"https://coop.example.org/c/cura/assemblies/{assembly.pk}/",
        f"https://coop.example.org/c/cura/assemblies/{assembly.pk}/proxy-form.pdf",
    ):
        assert text in email.body
    notice = AssemblyNotice.objects.get(assembly=assembly, member=people["ada"])
    assert (notice.sent_on, notice.amendment, notice.email) == (CALLED_ON, 0, "ada@example.org")
    assert notice.agenda == "1. Accounts 2025\n2. Roster policy"


def test_a_board_meeting_is_notified_to_the_board_only(coop, people):
    # A board login that is on no register is not a member to call.
    factories.user_with_role(coop, Role.BOARD)
    people["bruno"].user = factories.user_with_role(coop, Role.BOARD)
    people["bruno"].save()
    assembly = call(coop, kind=AssemblyKind.BOARD, starts_at=meets(2), agenda=["Budget"])
    assert called(assembly) == {"Bruno": "email"}


def test_emails_go_only_once_the_call_is_committed(
    coop, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call(coop)
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 2


def test_a_notice_too_short_is_refused_and_nothing_is_saved_or_sent(
    coop, people, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        # 14 days after the notice; the statutes ask for 15.
        call(coop, starts_at=timezone.make_aware(datetime(2026, 4, 15, 18)))
    assert refused.value.error_list[0].code == "notice_too_short"
    assert not Assembly.objects.exists() and not AssemblyNotice.objects.exists()
    assert mail.outbox == []


def test_the_statutes_notice_days_for_each_kind_of_assembly():
    days = {"ordinary": 15, "extraordinary": 20, "board": 3}
    assert [
        notices.rules.notice_days_required(kind, **days)
        for kind in ("ordinary", "extraordinary", "board")
    ] == [15, 20, 3]


def test_a_notice_is_not_sent_twice_but_reaches_members_admitted_since(
    coop, people, supporter_class, django_capture_on_commit_callbacks
):
    assembly = call(coop)
    with pytest.raises(ValidationError) as refused:
        notices.send_notice(assembly, on=date(2026, 4, 2))
    assert refused.value.code == "notice_already_sent"
    admit(people["elio"], date(2026, 4, 3))  # and he pays his share: he may now attend
    record_payment(people["elio"], share_balance(people["elio"]).capital, date(2026, 4, 3))
    with django_capture_on_commit_callbacks(execute=True):
        sent = notices.send_notice(assembly, on=date(2026, 4, 3))
    assert [n.member.full_name for n in sent] == ["Elio"]
    assert [m.to for m in mail.outbox] == [["elio@example.org"]]
    assert AssemblyNotice.objects.filter(member=people["ada"]).count() == 1


def test_a_changed_agenda_is_sent_again_as_an_amended_notice(
    coop, people, django_capture_on_commit_callbacks
):
    assembly = call(coop)
    with pytest.raises(ValidationError) as refused:
        notices.send_amended_notice(assembly, on=date(2026, 4, 2))
    assert refused.value.code == "agenda_unchanged"
    add_agenda_item(assembly, "Election of the board")
    with django_capture_on_commit_callbacks(execute=True):
        sent = notices.send_amended_notice(assembly, on=date(2026, 4, 2))
    assert {(n.member.full_name, n.amendment) for n in sent} == {
        ("Ada", 1),
        ("Bruno", 1),
        ("Carla", 1),
    }
    assert {m.subject for m in mail.outbox} == {"Amended notice: General assembly 2026"}
    assert "3. Election of the board" in mail.outbox[0].body
    assert AssemblyNotice.objects.filter(assembly=assembly).count() == 6


def test_an_amended_notice_too_late_is_refused(coop, people):
    assembly = call(coop)
    add_agenda_item(assembly, "Election of the board")
    with pytest.raises(ValidationError) as refused:
        notices.send_amended_notice(assembly, on=date(2026, 5, 10))
    assert refused.value.error_list[0].code == "notice_too_short"
    assert not AssemblyNotice.objects.filter(amendment=1).exists()


def test_no_notice_once_the_assembly_has_opened(coop, people):
    assembly = open_session(call(coop), meets(20))
    add_agenda_item(assembly, "Any other business")
    with pytest.raises(ValidationError) as refused:
        notices.send_amended_notice(assembly, on=date(2026, 4, 2))
    assert refused.value.code == "notice_after_opening"


def test_an_amended_notice_needs_a_first_one(coop, people):
    with transaction.atomic():
        assembly = call(coop)
        AssemblyNotice.objects.filter(assembly=assembly).delete()
    with pytest.raises(ValidationError) as refused:
        notices.send_amended_notice(assembly, on=date(2026, 4, 2))
    assert refused.value.code == "notice_not_sent"


def test_members_reached_by_post_get_a_printed_letter(coop, people):
    assembly = call(coop)
    letters = queries.letters_to_post(assembly)
    assert [n.member.full_name for n in letters] == ["Carla"]
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.letters(assembly, letters))).pages
    )
    for expected in ("Carla", "Via Roma 1, Bologna", "1. Accounts 2025", "Proxy form"):
        assert expected in text


def test_the_dashboard_lists_the_assemblies_a_member_is_called_to_until_held(client, coop, people):
    ada = people["ada"]
    ada.user = factories.UserFactory()
    ada.save()
    assembly = call(coop)
    factories.log_in(client, ada.user)
    page = client.get(f"/c/{coop.slug}/").content.decode()
    assert "Assemblies you are called to" in page and "General assembly 2026" in page
    assert "Roster policy" in page
    close_session(open_session(assembly, meets(20)), meets(20) + timedelta(hours=2))
    assert "Assemblies you are called to" not in client.get(f"/c/{coop.slug}/").content.decode()


def test_the_dashboard_of_a_member_not_called_has_no_notice(client, coop, people):
    call(coop)
    dora = people["dora"]
    dora.user = factories.UserFactory()
    dora.save()
    factories.log_in(client, dora.user)
    assert "Assemblies you are called to" not in client.get(f"/c/{coop.slug}/").content.decode()


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def held(coop, people):
    """The assembly held: Ada in person, Bruno online, Carla represented by Ada's proxy."""
    assembly = call(coop)
    give_proxy(assembly, people["carla"], people["ada"])
    assembly = open_session(assembly, meets(20))
    record_attendance(assembly, people["ada"], "in_person", at=meets(20))
    record_attendance(assembly, people["bruno"], "online", at=meets(20))
    return assembly


def test_the_attendance_list_names_who_was_there_and_how(client, coop, board_user, held):
    factories.log_in(client, board_user)
    text = _pdf_text(client.get(f"/c/{coop.slug}/assemblies/{held.pk}/attendance.pdf"))
    for expected in ("Attendance list", "Ada", "Bruno", "Carla", "by proxy: Ada", "Signature"):
        assert expected in text
    assert "Workers" in text and "Supporters" in text
    assert "Dora" not in text


def test_the_minutes_as_pdf_for_members_once_published(client, coop, board_user, people, held):
    closed = close_session(held, meets(20) + timedelta(hours=2))
    factories.log_in(client, board_user)
    draft = _pdf_text(client.get(f"/c/{coop.slug}/assemblies/{closed.pk}/minutes.pdf"))
    assert "Minutes (draft)" in draft and "General assembly 2026" in draft
    ada = people["ada"]
    ada.user = factories.UserFactory()
    ada.save()
    factories.log_in(client, ada.user)
    assert client.get(f"/c/{coop.slug}/assemblies/{closed.pk}/minutes.pdf").status_code == 404
    publish_minutes(closed, "The assembly approved the accounts of 2025.")
    text = _pdf_text(client.get(f"/c/{coop.slug}/assemblies/{closed.pk}/minutes.pdf"))
    assert "approved the accounts of 2025" in text


def test_a_member_prints_a_proxy_form_in_their_name(client, coop, people, held):
    bruno = people["bruno"]
    bruno.user = factories.UserFactory()
    bruno.save()
    factories.log_in(client, bruno.user)
    text = _pdf_text(client.get(f"/c/{coop.slug}/assemblies/{held.pk}/proxy-form.pdf"))
    assert "Proxy form" in text and "Bruno" in text


def test_the_attendance_list_is_for_the_board(client, coop, people, held):
    ada = people["ada"]
    ada.user = factories.UserFactory()
    ada.save()
    factories.log_in(client, ada.user)
    assert client.get(f"/c/{coop.slug}/assemblies/{held.pk}/attendance.pdf").status_code == 403


def test_the_attendance_list_in_arabic_runs_right_to_left(coop, held):
    with translation.override("ar"):
        content = pdf.attendance_list(held)
    assert PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_the_board_sends_an_amended_notice_from_the_assembly_page(
    client, coop, board_user, people, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        assembly = call(
            coop, called_on=timezone.localdate(), starts_at=timezone.now() + timedelta(days=30)
        )
    factories.log_in(client, board_user)
    page = client.get(f"/c/{coop.slug}/assemblies/{assembly.pk}/").content.decode()
    assert "Carla" in page and "letters.pdf" in page
    client.post(
        f"/c/{coop.slug}/assemblies/{assembly.pk}/agenda/", {"title": "Election", "details": ""}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/c/{coop.slug}/assemblies/{assembly.pk}/amended-notice/")
    assert response.status_code == 302
    assert AssemblyNotice.objects.filter(assembly=assembly, amendment=1).count() == 3
    assert len(mail.outbox) == 2
    text = _pdf_text(client.get(f"/c/{coop.slug}/assemblies/{assembly.pk}/letters.pdf"))
    assert "Amended notice" in text and "Election" in text
