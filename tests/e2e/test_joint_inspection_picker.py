"""Browser, phone viewport: a joint inspection recorded on the page with another department's
inspector found by name in the picker (several may be chosen), beside the own unit's boxes."""

import pytest

from accounts.models import Membership
from inspections.models import Record
from tests.e2e.pickers import pick
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_joint_inspection_names_another_departments_inspector_on_a_phone(page, live_server, tworld):
    housing = tworld.user("housing")
    Membership.objects.filter(user=housing).update(is_inspector=True)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "hb_yingji")
    page.goto(f"{live_server.url}/inspections/records/new/")
    ent = tworld.ent_commerce
    pick(page, "#id_enterprise", ent.name[:8], ent.name)
    page.select_option("#id_kind", "joint")
    name = housing.get_full_name()
    pick(page, "#id_other_inspectors", name[-2:], name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("[data-testid=create-record]")
    page.wait_for_selector("[data-testid=record-title]")
    record = Record.objects.get()
    assert set(record.inspectors.values_list("user__username", flat=True)) == {"hb_yingji", housing.username}
