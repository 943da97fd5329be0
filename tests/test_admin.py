"""The back office: every admin page opens, and the share ledger cannot be edited there."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories


@pytest.fixture
def admin_client(client, supporter_class):
    factories.admitted_member(supporter_class)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    return factories.log_in(client, admin)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/cooperatives/cooperative/",
        "/admin/cooperatives/cooperativerole/",
        "/admin/members/member/",
        "/admin/members/shareentry/",
        "/admin/members/stakeholderclass/",
        "/admin/accounts/apitoken/",
    ],
)
def test_admin_pages_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_ledger_entries_are_read_only_in_admin(admin_client, supporter_class):
    entry = supporter_class.cooperative.share_entries.first()
    assert admin_client.get("/admin/members/shareentry/add/").status_code == 403
    response = admin_client.post(
        f"/admin/members/shareentry/{entry.pk}/change/", {"paid": "999.00"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.paid != 999
    member = entry.member
    assert admin_client.get(f"/admin/members/member/{member.pk}/change/").status_code == 200
