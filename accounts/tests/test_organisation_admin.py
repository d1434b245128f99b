"""The Django admin's unit pages set up and edit units, and set departments' competences, through
the services: the organisation account rule (refusals under the fields, nothing written) and each
change's event (docs/accounts.md "The Django admin")."""

import pytest
from django.contrib.auth.models import Permission

from accounts import account_rules as rules
from accounts.models import Competence, DepartmentType, Organisation, Sector
from core.models import Event
from core.testing import admin_change_data

pytestmark = pytest.mark.django_db
ADD = "/admin/accounts/organisation/add/"


def _new_unit(world, **fields) -> dict:
    return {"kind": "department", "name": "河北区新设局", "region": str(world.district.pk), "code": "", "phone": "",
            "parent": "", "department_type": str(DepartmentType.objects.get(code="commerce").pk)} | fields


def _change_data(admin, org) -> dict:
    """The unit's change form with its competence rows, as the browser sends it back unchanged."""
    data = admin_change_data(admin, org)
    rows = list(org.competences.order_by("pk"))
    data |= {"competences-TOTAL_FORMS": str(len(rows)), "competences-INITIAL_FORMS": str(len(rows)),
             "competences-MIN_NUM_FORMS": "0", "competences-MAX_NUM_FORMS": "1000"}
    for i, c in enumerate(rows):
        data |= {f"competences-{i}-id": str(c.pk), f"competences-{i}-department": str(org.pk),
                 f"competences-{i}-sector": str(c.sector_id), f"competences-{i}-region": str(c.region_id),
                 f"competences-{i}-role": c.role}
    return data


def test_a_unit_added_in_the_admin_is_set_up_by_the_service_with_its_event(client, world):
    admin = world.user("admin")
    client.force_login(admin)
    response = client.post(ADD, _new_unit(world))
    assert response.status_code == 302, response.content.decode()[:1500]
    org = Organisation.objects.get(name="河北区新设局")
    assert org.county_code == world.district.code and org.is_active  # the region codes, as the service sets them
    event = Event.objects.get(verb="organisation.created", object_type="accounts.organisation", object_id=org.pk)
    assert event.actor == admin and event.data == {"kind": "department", "region": world.district.code}


@pytest.mark.parametrize("fields, reason", [
    ({"department_type": ""}, "行业部门必须指定部门类型。"),
    ({"kind": "township"}, "乡镇（街道）机构必须设在乡级区划。"),  # at the district
    ({"kind": "enterprise"}, "随其第一个账户开通"),  # open_enterprise_account does that
])
def test_the_admin_refuses_a_unit_its_kind_does_not_allow_under_the_field(client, world, fields, reason):
    client.force_login(world.user("admin"))
    units, events = Organisation.objects.count(), Event.objects.count()
    response = client.post(ADD, _new_unit(world, **fields))
    assert response.status_code == 200 and reason in response.content.decode()
    assert (Organisation.objects.count(), Event.objects.count()) == (units, events)


def test_the_admin_refuses_an_enterprise_login_unit_with_the_services_reason_under_kind(client, world):
    """The refusal lives in accounts.services (create_organisation / check_new_organisation): the
    admin shows the service's reason under ``kind`` and writes nothing, for a superuser too."""
    client.force_login(world.user("admin"))
    units, events = Organisation.objects.count(), Event.objects.count()
    response = client.post(ADD, _new_unit(world, kind="enterprise", department_type=""))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["kind"] and errors["kind"] == ["生产经营单位的登录单位随其第一个账户开通（账号管理），不在此新建。"]
    assert (Organisation.objects.count(), Event.objects.count()) == (units, events)


def test_the_organisation_rule_holds_for_a_staff_user_given_the_admin_permissions(client, world):
    """A department leader made staff with the unit permissions still sets up no unit (only a
    committee office's administrators, in their region) — the admin answers with the rule's words."""
    lead = world.user("commerce_lead")
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    lead.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts",
                                                         codename__in=("add_organisation", "view_organisation")))
    client.force_login(lead)
    units = Organisation.objects.count()
    response = client.post(ADD, _new_unit(world))
    assert response.status_code == 200 and rules.UNIT_NOT_AN_ADMINISTRATOR in response.content.decode()
    assert Organisation.objects.count() == units


def test_a_unit_edited_in_the_admin_writes_its_changes_old_to_new_and_keeps_kind_and_region(client, world):
    admin = world.user("admin")
    org = world.org("commerce")
    name, region = org.name, org.region_id
    client.force_login(admin)
    data = _change_data(admin, org) | {"name": "河北区商务局（新）", "phone": "022-12345678", "kind": "committee",
                                       "region": str(world.townships[0].pk)}
    data.pop("is_active")  # 停用
    response = client.post(f"/admin/accounts/organisation/{org.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    org.refresh_from_db()
    assert (org.name, org.phone, org.is_active) == ("河北区商务局（新）", "022-12345678", False)
    assert (org.kind, org.region_id) == ("department", region)
    event = Event.objects.get(verb="organisation.updated", object_id=org.pk)
    assert event.actor == admin and (event.from_state, event.to_state) == ("active", "inactive")
    assert event.data["changes"] == {"name": [name, "河北区商务局（新）"], "phone": ["", "022-12345678"],
                                     "is_active": [True, False]}
    assert client.post(f"/admin/accounts/organisation/{org.pk}/delete/", {"post": "yes"}).status_code == 403
    page = client.get(f"/admin/accounts/organisation/{org.pk}/change/")
    assert page.status_code == 200 and 'name="competences-TOTAL_FORMS"' in page.content.decode()
    assert ' name="kind"' not in page.content.decode() and ' name="region"' not in page.content.decode()
    assert client.get(ADD).status_code == 200


def test_a_competence_added_and_removed_in_the_admin_is_set_with_its_events(client, world):
    admin = world.user("admin")
    org = world.org("commerce")
    sector = Sector.objects.exclude(pk__in=org.competences.values("sector")).first()
    client.force_login(admin)
    data = _change_data(admin, org)
    n = int(data["competences-TOTAL_FORMS"])
    data |= {"competences-TOTAL_FORMS": str(n + 1), f"competences-{n}-department": str(org.pk),
             f"competences-{n}-sector": str(sector.pk), f"competences-{n}-region": str(world.district.pk),
             f"competences-{n}-role": "assist", "competences-0-DELETE": "on"}
    removed = org.competences.order_by("pk").first()
    response = client.post(f"/admin/accounts/organisation/{org.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    assert Competence.objects.filter(department=org, sector=sector, region=world.district, role="assist").exists()
    assert not Competence.objects.filter(pk=removed.pk).exists()
    events = Event.objects.filter(object_type="accounts.organisation", object_id=org.pk, actor=admin)
    assert events.filter(verb="competence.set", to_state="assist", data__sector=sector.code).exists()
    assert events.filter(verb="competence.removed", data__sector=removed.sector.code).exists()
    assert not events.filter(verb="organisation.updated").exists()  # the unit itself did not change
