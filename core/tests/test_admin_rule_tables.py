"""A versioned rule table's rows (core.ruletables.TABLES) are never deleted in the Django admin:
their versions (RuleVersion, by row id) and every deadline or figure computed for a past date read
them. Checked for every admin registration of such a table, and through the delete page."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accidents.models import DeadlineRule, SupplementWindow
from core.ruletables import TABLES
from core.testing import client_as

pytestmark = pytest.mark.django_db


def test_no_versioned_rule_table_is_deletable_in_the_admin(world):
    request = RequestFactory().get("/")
    request.user = world.user("admin")
    versioned = {t.model for t in TABLES.values()}
    registered = [model for model in admin.site._registry if model._meta.label in versioned]
    assert {m._meta.label for m in registered} >= {"accidents.DeadlineRule", "accidents.SupplementWindow",
                                                   "campaigns.BoardRuleSet"}
    for model in registered:
        assert not admin.site._registry[model].has_delete_permission(request), model._meta.label


@pytest.mark.parametrize("model", [DeadlineRule, SupplementWindow])
def test_the_delete_page_of_an_accident_time_limit_is_refused(client, world, model):
    row = model.objects.order_by("pk").first()
    assert row is not None  # the 493号令 rows the migrations load
    client_as(client, world, "admin")
    url = f"/admin/accidents/{model._meta.model_name}/{row.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_no_versioned_field_of_a_row_is_editable_in_the_admin(world):
    """An edit of a versioned field is a revision with an effective date (the rules page): in the
    admin it changed the live row — the version in force today — and with it every figure computed
    for a date since that version began."""
    request = RequestFactory().get("/")
    request.user = world.user("admin")
    for table in TABLES.values():
        model = table.model_class
        if model not in admin.site._registry:
            continue
        model_admin = admin.site._registry[model]
        row = model.objects.order_by("pk").first() or model()
        assert set(table.fields) <= set(model_admin.get_readonly_fields(request, row)), table.key


def test_an_accident_time_limit_posted_in_the_admin_stays_and_the_page_links_to_its_revision(client, world):
    from django.forms.models import model_to_dict

    from core.models import RuleVersion

    row = DeadlineRule.objects.order_by("pk").first()
    before = (row.amount, RuleVersion.objects.filter(table="accident-deadlines", row_id=row.pk).count())
    client_as(client, world, "admin")
    url = f"/admin/accidents/deadlinerule/{row.pk}/change/"
    page = client.get(url).content.decode()
    assert f'href="/rules/accident-deadlines/{row.pk}/"' in page and 'name="amount"' not in page
    data = {k: ("" if v is None else v) for k, v in model_to_dict(row).items()}
    response = client.post(url, {**data, "amount": row.amount + 5, "_save": "保存"})
    assert response.status_code == 302  # saved: the other fields
    row.refresh_from_db()
    assert (row.amount, RuleVersion.objects.filter(table="accident-deadlines", row_id=row.pk).count()) == before


def test_a_board_rule_set_added_in_the_admin_is_in_force_from_today_only(client, world):
    """The board's rules: 30 days overdue turns a region red (DEFAULT_RULES, docs/dispatch.md) until
    a rule set says otherwise — from the day it is added, not for the weeks and quarters before."""
    import datetime

    from django.utils import timezone

    from campaigns.board import active_rules
    from campaigns.models import BoardRuleSet

    client_as(client, world, "admin")
    response = client.post("/admin/campaigns/boardruleset/add/", {"name": "本地规则", "rules": '{"red_overdue_days": 45}',
                                                                  "is_active": "on", "updated_at_0": timezone.localdate().isoformat(),
                                                                  "updated_at_1": "09:00:00", "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BoardRuleSet.objects.count() == 1
    today = timezone.localdate()
    assert active_rules(today)["red_overdue_days"] == 45
    assert active_rules(today - datetime.timedelta(days=1))["red_overdue_days"] == 30
