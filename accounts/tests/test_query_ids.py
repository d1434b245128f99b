"""The new-account page's unit is named by ASCII digits (``core.querysets.parse_id``): "²" is a digit
to ``str.isdigit`` and no number to ``int`` — a ValueError, a 500 on every database."""

import pytest
from django.contrib.auth import get_user_model

from core.testing import client_as

pytestmark = pytest.mark.django_db

PASSWORD = "Zq7-anquan-2026"
User = get_user_model()


@pytest.mark.parametrize("raw", ["²", "٣", "99999999999999999999999"])
def test_the_new_account_page_with_a_unit_in_other_digits_is_not_found(client, leads, raw):
    client_as(client, leads, "commerce_lead")
    assert client.get(f"/accounts/users/new/?organisation={raw}").status_code == 404


@pytest.mark.parametrize("raw", ["²", "٣", "99999999999999999999999"])
def test_a_new_account_posted_with_a_unit_in_other_digits_is_refused_on_the_field(client, leads, raw):
    client_as(client, leads, "commerce_lead")
    r = client.post("/accounts/users/new/", {"organisation": raw, "username": "newcomer", "full_name": "新人",
                                             "role": "staff", "password1": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 400
    assert "organisation" in r.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()
