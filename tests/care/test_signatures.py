"""The person, or someone for them, signs a care plan version or a consent on a coordinator's
or a serving carer's screen; the signed content is kept unchanged with its SHA-256, and a
signature is never changed or deleted."""

import base64
import hashlib
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.care import rules, services
from coopcare.care.models import (
    CareRecordEdit,
    CareTask,
    Consent,
    ConsentKind,
    Signature,
)
from coopcare.cooperatives.models import Role
from tests import factories

PNG = rules.PNG_MAGIC + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture
def person(coop):
    return factories.person_cared_for(coop, full_name="Rosa Bianchi")


@pytest.fixture
def plan(person):
    return factories.care_plan(person, steps="Wash\nDress")


def _codes(refused) -> set[str]:
    return {error.code for error in refused.value.error_list}


def test_a_drawn_signature_keeps_the_plan_as_signed(plan, coordinator):
    signature = services.sign_care_plan(
        plan, signer_name="Rosa Bianchi", capacity="self", drawing=PNG, by=coordinator
    )

    kept = json.loads(signature.content)
    assert kept["version"] == 1
    assert kept["tasks"][0]["task"] == "Morning care"
    assert kept["tasks"][0]["steps"] == ["Wash", "Dress"]
    assert signature.content_sha256 == hashlib.sha256(signature.content.encode()).hexdigest()
    assert bytes(Signature.objects.get().drawing) == PNG
    assert (signature.collected_by, signature.capacity) == (coordinator, "self")
    edit = CareRecordEdit.objects.get(record="signature")
    assert (edit.user, edit.changed) == (coordinator, "care_plan")


def test_the_snapshot_stays_when_the_plan_changes(person, plan, coordinator):
    signature = services.sign_care_plan(
        plan, signer_name="Rosa Bianchi", capacity="self", drawing=PNG, by=coordinator
    )
    content, digest = signature.content, signature.content_sha256

    CareTask.objects.filter(plan=plan).update(title="Something else")
    later = factories.care_plan(person, valid_from=date(2026, 4, 1), title="Evening care")

    kept = Signature.objects.get()
    assert (kept.content, kept.content_sha256) == (content, digest)
    assert "Something else" not in kept.content
    assert not later.signatures.exists()  # a later version needs its own signature
    services.sign_care_plan(
        later,
        signer_name="Rosa Bianchi",
        capacity="self",
        typed_name="Rosa Bianchi",
        confirmed=True,
        by=coordinator,
    )
    assert Signature.objects.count() == 2


def test_a_representative_signs_in_their_capacity(plan, coordinator):
    signature = services.sign_care_plan(
        plan,
        signer_name="Marco Bianchi",
        capacity="legal_representative",
        typed_name="Marco Bianchi",
        confirmed=True,
        by=coordinator,
    )

    assert signature.signer_name == "Marco Bianchi"
    assert signature.get_capacity_display() == "legal representative or guardian"
    assert signature.drawing is None


@pytest.mark.parametrize(
    ("signed", "code"),
    [
        ({}, "signature_missing"),
        ({"typed_name": "   "}, "signature_missing"),
        ({"typed_name": "Rosa Bianchi"}, "signature_not_confirmed"),
        ({"drawing": b"GIF89a"}, "not_png"),
        ({"drawing": PNG + b"\x00" * rules.SIGNATURE_MAX_BYTES}, "signature_too_large"),
        ({"drawing": PNG, "signer_name": " "}, "signer_missing"),
        ({"drawing": PNG, "shown_sha256": "0" * 64}, "signed_content_changed"),
    ],
)
def test_refusals_write_nothing(plan, coordinator, signed, code):
    arguments = {"signer_name": "Rosa Bianchi", "capacity": "self", "by": coordinator} | signed

    with pytest.raises(ValidationError) as refused:
        services.sign_care_plan(plan, **arguments)

    assert code in _codes(refused)
    assert not Signature.objects.exists()
    assert not CareRecordEdit.objects.exists()


def test_a_version_is_signed_once(plan, coordinator):
    services.sign_care_plan(plan, signer_name="Rosa", capacity="self", drawing=PNG, by=coordinator)

    with pytest.raises(ValidationError) as refused:
        services.sign_care_plan(
            plan, signer_name="Rosa", capacity="self", drawing=PNG, by=coordinator
        )

    assert _codes(refused) == {"plan_already_signed"}


def test_a_signature_is_never_changed_or_deleted(plan, coordinator):
    services.sign_care_plan(plan, signer_name="Rosa", capacity="self", drawing=PNG, by=coordinator)
    signature = Signature.objects.get()

    signature.signer_name = "Someone else"
    for attempt in (
        signature.save,
        signature.delete,
        Signature.objects.all().delete,
        lambda: Signature.objects.update(signer_name="x"),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code == "kept_as_written"
    assert Signature.objects.get().signer_name == "Rosa"


def test_only_whom_may_see_the_person_collects_a_signature(coop, person, plan):
    stranger = factories.user_with_role(factories.CooperativeFactory(), Role.COORDINATOR)
    carer = factories.user_with_role(coop, Role.CARER)
    signing = {"signer_name": "Rosa", "capacity": "self", "drawing": PNG}

    for user in (stranger, carer):  # another cooperative; a carer not serving her
        with pytest.raises(PermissionDenied):
            services.sign_care_plan(plan, by=user, **signing)
    assert not Signature.objects.exists()

    factories.visit(person, carers=[carer], day=timezone.localdate())
    assert services.sign_care_plan(plan, by=carer, **signing).collected_by == carer


def test_a_consent_is_signed_and_recorded_together(person, coordinator):
    signature = services.sign_consent(
        person,
        ConsentKind.LOCATION,
        signer_name="Marco Bianchi",
        capacity="power_of_attorney",
        typed_name="Marco Bianchi",
        confirmed=True,
        on=date(2026, 11, 2),
        by=coordinator,
    )

    consent = Consent.objects.get(person=person)
    assert signature.consent == consent
    assert (consent.given_by, consent.capacity) == ("Marco Bianchi", "power_of_attorney")
    assert "checks in and checks out" in json.loads(signature.content)["text"]

    with pytest.raises(ValidationError) as refused:
        services.sign_consent(
            person,
            ConsentKind.LOCATION,
            signer_name="Rosa",
            capacity="self",
            drawing=PNG,
            on=date(2026, 11, 3),
            by=coordinator,
        )
    assert _codes(refused) == {"consent_already_given"}
    with pytest.raises(ValidationError):
        services.sign_consent(
            person,
            ConsentKind.CARE,
            signer_name="Rosa",
            capacity="self",
            on=date(2026, 11, 3),
            by=coordinator,
        )
    assert Consent.objects.count() == Signature.objects.count() == 1


def test_signing_on_the_page(client, coop, person, plan, coordinator):
    factories.log_in(client, coordinator)
    page = f"/c/{coop.slug}/people/{person.pk}/sign/plan/1/"
    shown = client.get(page)
    assert shown.status_code == 200
    digest = shown.context["digest"]
    assert "Morning care" in shown.content.decode()

    empty = client.post(page, {"signer_name": "Rosa", "capacity": "self", "shown": digest})
    assert empty.status_code == 400
    assert not Signature.objects.exists()

    drawn = "data:image/png;base64," + base64.b64encode(PNG).decode()
    signed = client.post(
        page, {"signer_name": "Rosa", "capacity": "self", "shown": digest, "drawing": drawn}
    )
    assert signed.status_code == 302
    assert Signature.objects.get().content_sha256 == digest
    record = client.get(f"/c/{coop.slug}/people/{person.pk}/").content.decode()
    assert "signed by Rosa (the person themself)" in record

    consent = client.post(
        f"/c/{coop.slug}/people/{person.pk}/sign/consent/care/",
        {
            "signer_name": "Rosa",
            "capacity": "self",
            "typed_name": "Rosa Bianchi",
            "confirmed": "on",
            "on": "2026-11-02",
            "shown": client.get(f"/c/{coop.slug}/people/{person.pk}/sign/consent/care/").context[
                "digest"
            ],
        },
    )
    assert consent.status_code == 302
    assert Consent.objects.get().kind == ConsentKind.CARE
    again = client.get(f"/c/{coop.slug}/people/{person.pk}/sign/consent/care/").content.decode()
    assert "This consent is already recorded: given by Rosa" in again


def test_a_carer_not_serving_the_person_gets_no_signing_page(client, coop, person, plan):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    assert client.get(f"/c/{coop.slug}/people/{person.pk}/sign/plan/1/").status_code == 404


def test_the_api_records_and_lists_signatures(client, coop, person, plan, coordinator):
    _token, raw = ApiToken.issue(coordinator, "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/cooperatives/{coop.slug}/people/{person.pk}/signatures"

    created = client.post(
        url,
        {
            "plan_version": 1,
            "signer_name": "Rosa Bianchi",
            "capacity": "self",
            "drawing_png": base64.b64encode(PNG).decode(),
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.json()
    assert created.json()["drawn"] is True
    listed = client.get(url, **auth).json()
    assert [(s["plan_version"], s["signer_name"]) for s in listed] == [(1, "Rosa Bianchi")]

    for body, code in [
        ({"signer_name": "Rosa", "capacity": "self", "typed_name": "Rosa"}, "nothing_to_sign"),
        (
            {"consent_to": "care", "signer_name": "Rosa", "capacity": "self"},
            "signature_missing",
        ),
        (
            {"consent_to": "care", "signer_name": "R", "capacity": "self", "drawing_png": "!!"},
            "not_png",
        ),
    ]:
        refused = client.post(url, body, content_type="application/json", **auth)
        assert refused.status_code == 400
        assert refused.json()["code"] == code
    assert Signature.objects.count() == 1
    assert not Consent.objects.exists()

    _token, carer_raw = ApiToken.issue(factories.user_with_role(coop, Role.CARER), "test")
    carer = client.get(url, HTTP_AUTHORIZATION=f"Bearer {carer_raw}")
    assert carer.status_code == 404
