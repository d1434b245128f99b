"""Who may open and revise every registered rule table (core.ruletables.TABLES, generated: a table
added there is covered here). The rules are kept by the committee office (安委会办公室) or a
designated admin (superuser / the model's change permission) — ``ruletables.can_edit``; every other
user is refused (403: the pages are reference data, not scoped rows), an anonymous visitor is sent
to the login page, and a refused revision writes no version."""

import datetime

import pytest

from core import ruletables
from core.models import RuleVersion
from core.testing import check_matrix

pytestmark = pytest.mark.django_db

ALLOWED = {"committee": 200, "admin": 200}
REFUSED = {p: 403 for p in ("emergency", "commerce", "housing", "township", "other_region", "enterprise", "agency",
                            "nobody")}


def _first_row(world, key):
    from campaigns.models import BoardRuleSet
    from enforcement.models import LeniencyPolicy
    from tips.models import Holiday

    BoardRuleSet.objects.get_or_create(name="默认规则")
    Holiday.objects.get_or_create(date=datetime.date(2025, 10, 9), defaults={"name": "地方调休"})
    LeniencyPolicy.objects.get_or_create(region=world.district, defaults={"enabled": True})
    row = ruletables.table(key).model_class.objects.order_by("pk").first()
    assert row is not None, key
    return row


def test_the_sector_drill_periods_are_a_registered_rule_table():
    assert ruletables.table("sector-drills").model == "accounts.Sector"
    assert ruletables.table("sector-drills").fields == ("drill_months",)
    assert not ruletables.table("sector-drills").can_add


@pytest.mark.parametrize("key", sorted(ruletables.TABLES))
def test_only_the_committee_office_and_a_designated_admin_open_a_rule_table(client, world, key):
    row = _first_row(world, key)
    expected = {**ALLOWED, **REFUSED, "anon": "login"}
    check_matrix(client, world, f"/rules/{key}/", expected)
    check_matrix(client, world, f"/rules/{key}/{row.pk}/", expected)


@pytest.mark.parametrize("key", sorted(ruletables.TABLES))
def test_a_refused_user_writes_no_version_of_a_rule_table(client, world, key):
    row = _first_row(world, key)
    before = RuleVersion.objects.filter(table=key).count()
    data = {"effective_from": datetime.date.today().isoformat(), "revision_note": "越权修改"}
    check_matrix(client, world, f"/rules/{key}/{row.pk}/", {**REFUSED, "anon": "login"}, method="post", data=data)
    assert RuleVersion.objects.filter(table=key).count() == before
