"""Reference data other records point at is corrected in the Django admin, never deleted there:
a sector (deleting one took it off enterprises, standards and plans — who sees them changed), a
department type, a region (deleting one deleted its leniency policies, a versioned rule table), and
493号令's grade thresholds and investigation authorities."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accidents.models import GradeThreshold, InvestigationAuthority
from accounts.models import DepartmentType, Sector
from core.testing import client_as
from regions.models import Region

pytestmark = pytest.mark.django_db

MODELS = [Sector, DepartmentType, Region, GradeThreshold, InvestigationAuthority]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_reference_data_is_not_deletable_in_the_admin(client, world, model):
    request = RequestFactory().get("/")
    request.user = world.user("admin")
    assert not admin.site._registry[model].has_delete_permission(request)
    row = model.objects.order_by("pk").first()
    assert row is not None  # loaded by the migrations or the test world
    client_as(client, world, "admin")
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
    # nor through the list's bulk action
    listing = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    client.post(listing, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert model.objects.filter(pk=row.pk).exists()


def test_a_sector_is_still_corrected_in_the_admin_with_a_change_log(client, world):
    from core.models import ChangeLog

    sector = Sector.objects.get(code="commerce")
    client_as(client, world, "admin")
    page = client.get(f"/admin/accounts/sector/{sector.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    data["name"] = sector.name + "（更正）"
    r = client.post(f"/admin/accounts/sector/{sector.pk}/change/", data)
    assert r.status_code == 302, r.content[:500]
    sector.refresh_from_db()
    assert sector.name.endswith("（更正）")
    assert ChangeLog.objects.filter(object_type="accounts.sector", object_id=str(sector.pk)).exists()
