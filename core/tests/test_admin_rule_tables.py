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
