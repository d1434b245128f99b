"""The unit an inspection record, spot check or visit names (POST /api/v1/inspections/records/,
spot-checks/, visits/), the township and supervised office of a visit and the 双随机 draw a record names, outside the caller's scope, are not found
(404), as opening them would be — not a 400 "invalid pk" (PRODUCT.md: out of scope is 404). Not an
id: 400 on the field."""

import pytest

from core.testing import check_matrix, client_as
from inspections.models import Record, SpotCheck, Visit

from .factories import today
from .test_record_from_draw import drawn  # noqa: F401  (the fixture: a draw of the 河北区 应急管理局)

pytestmark = pytest.mark.django_db
J = "application/json"


def _record(world, ent=None, persona="emergency", **over):
    return {"enterprise": (ent or world.ent_commerce).pk, "kind": "routine", "inspected_on": today().isoformat(),
            "inspectors": [world.user(persona).pk], **over}


def _spot_check(ent, **over):
    return {"enterprise": ent.pk, "checked_on": today().isoformat(), "answers": {"2.5": True}, **over}


def _visit(ent, **over):
    return {"kind": "help_enterprise", "visited_on": today().isoformat(), "content": "指导", "enterprise": ent.pk, **over}


def test_record_matrix_for_a_unit_of_the_commerce_sector(client, world):
    """鑫隆商贸 (商贸, 河北区): 应急管理局 (综合监管) records the check; 住建委 (another sector), 河东区
    (another region), 津建三公司 (another enterprise), an agency and a user without a unit cannot see
    the unit — 404; the unit itself sees it but may not inspect — 403; anonymous 401/403."""
    check_matrix(client, world, "/api/v1/inspections/records/", {
        "anon": (401, 403), "emergency": 201, "housing": 404, "other_region": 404, "enterprise_other": 404,
        "agency": 404, "nobody": 404, "enterprise": 403,
    }, method="post", data=_record(world), content_type=J)
    assert list(Record.objects.values_list("enterprise", flat=True)) == [world.ent_commerce.pk]


def test_spot_check_matrix_for_a_unit_of_the_commerce_sector(client, world):
    check_matrix(client, world, "/api/v1/inspections/spot-checks/", {
        "anon": (401, 403), "commerce": 201, "housing": 404, "other_region": 404, "enterprise_other": 404,
        "agency": 404, "nobody": 404, "enterprise": 403,
    }, method="post", data=_spot_check(world.ent_commerce), content_type=J)
    assert list(SpotCheck.objects.values_list("enterprise", flat=True)) == [world.ent_commerce.pk]


def test_visit_matrix_for_a_unit_of_the_commerce_sector(client, world):
    check_matrix(client, world, "/api/v1/inspections/visits/", {
        "anon": (401, 403), "commerce": 201, "housing": 404, "other_region": 404, "enterprise_other": 404,
        "agency": 404, "nobody": 404,
    }, method="post", data=_visit(world.ent_commerce), content_type=J)
    assert list(Visit.objects.values_list("enterprise", flat=True)) == [world.ent_commerce.pk]


@pytest.mark.parametrize("value", [99999999, "abc", ""])
def test_a_unit_of_nothing_is_404_and_no_id_is_400_naming_the_field(client, world, value):
    client_as(client, world, "emergency")
    answers = [client.post("/api/v1/inspections/records/", _record(world, enterprise=value), content_type=J),
               client.post("/api/v1/inspections/spot-checks/", _spot_check(world.ent_commerce, enterprise=value),
                           content_type=J)]
    client_as(client, world, "commerce")
    answers.append(client.post("/api/v1/inspections/visits/", _visit(world.ent_commerce, enterprise=value),
                               content_type=J))
    for r in answers:
        if value == 99999999:
            assert r.status_code == 404 and r.json()["code"] == "not_found"
        elif value == "" and "visits" in r.wsgi_request.path:  # optional on a visit; this kind needs one
            assert r.status_code == 400 and r.json()["errors"]["enterprise"] == ["请选择企业。"]
        else:
            assert r.status_code == 400 and list(r.json()["errors"]) == ["enterprise"], r.json()
    assert not (Record.objects.exists() or SpotCheck.objects.exists() or Visit.objects.exists())


def test_a_draw_of_another_department_or_region_or_of_nothing_is_404(client, world, drawn):  # noqa: F811
    """The 河北区 应急管理局's draw: 商务局 (another department) and 河东区 (another region) cannot see
    it — 404, each naming a unit of its own; a draw of nothing — 404; no id — 400 on draw; the
    bureau's own inspectors record the drawn check."""
    for persona, ent in (("commerce", world.ent_commerce), ("other_region", world.ent_other_region)):
        client_as(client, world, persona)
        r = client.post("/api/v1/inspections/records/", _record(world, ent, persona, draw=drawn["draw"].pk),
                        content_type=J)
        assert r.status_code == 404 and r.json()["code"] == "not_found", persona
    client_as(client, world, "emergency")
    team = [u.pk for u in drawn["team"]]
    body = _record(world, drawn["ent"], inspectors=team)
    r = client.post("/api/v1/inspections/records/", {**body, "draw": 99999999}, content_type=J)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.post("/api/v1/inspections/records/", {**body, "draw": "abc"}, content_type=J)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["draw"]
    assert not Record.objects.exists()
    r = client.post("/api/v1/inspections/records/", {**body, "draw": drawn["draw"].pk}, content_type=J)
    assert r.status_code == 201 and r.json()["draw"] == drawn["draw"].pk


@pytest.mark.parametrize("what", ["in_scope", "other_region", "missing", "abc"])
def test_a_visits_township_or_supervised_office_out_of_scope_is_404(client, world, what):
    """A township and a street office of 河北区 are taken; 河东区's township and bureau, and ids of
    nothing, are 404; no id is a 400 on the field."""
    township, office = {
        "in_scope": (world.townships[0].pk, world.user("township").membership.organisation.pk),
        "other_region": (world.ent_other_region.region.pk, world.user("other_region").membership.organisation.pk),
        "missing": (99999999, 99999999), "abc": ("abc", "abc")}[what]
    client_as(client, world, "emergency")
    base = {"visited_on": today().isoformat(), "content": "帮扶"}
    answers = {"township": client.post("/api/v1/inspections/visits/", {**base, "kind": "help_township",
                                                                      "township": township}, content_type=J),
               "target_organisation": client.post("/api/v1/inspections/visits/", {
                   **base, "kind": "supervision", "target_organisation": office}, content_type=J)}
    for field, r in answers.items():
        if what == "in_scope":
            assert r.status_code == 201 and r.json()[field] == {"township": township, "target_organisation": office}[field]
        elif what == "abc":
            assert r.status_code == 400 and list(r.json()["errors"]) == [field]
        else:
            assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert Visit.objects.count() == (2 if what == "in_scope" else 0)


def test_an_inspector_out_of_scope_is_not_found_and_never_named_back(client, world):
    """An account of another region (河东区's inspector) named among a joint inspection's inspectors:
    404, nothing written, neither its name nor its login in the answer — any account id used to be
    looked up and named in the 400 ("某某 不是执法检查人员。"). An account with no unit: 404 too."""
    from accounts.models import Membership

    other = world.user("other_region")
    Membership.objects.filter(user=other).update(is_inspector=True)
    client_as(client, world, "emergency")
    for outsider in (other, world.user("nobody")):
        resp = client.post("/api/v1/inspections/records/",
                           _record(world, kind="joint", inspectors=[world.user("emergency").pk, outsider.pk]), content_type=J)
        assert resp.status_code == 404 and resp.json()["code"] == "not_found", resp.content
        text = resp.content.decode()
        assert outsider.username not in text and (not outsider.get_full_name() or outsider.get_full_name() not in text)
    assert not Record.objects.exists()


def test_a_joint_inspection_names_an_inspector_of_another_department_of_the_district(client, world):
    """联合检查: 应急管理局 with 住建委's inspector (same district, in scope) — recorded with both."""
    from accounts.models import Membership

    housing = world.user("housing")
    Membership.objects.filter(user__in=[housing, world.user("emergency")]).update(is_inspector=True)
    client_as(client, world, "emergency")
    resp = client.post("/api/v1/inspections/records/",
                       _record(world, kind="joint", inspectors=[world.user("emergency").pk, housing.pk]), content_type=J)
    assert resp.status_code == 201, resp.content
    record = Record.objects.get(pk=resp.json()["id"])
    assert sorted(record.inspectors.values_list("user_id", flat=True)) == sorted([world.user("emergency").pk, housing.pk])


@pytest.mark.parametrize("value, status", [(99999999, 404), ("abc", 400), (0, 400), (True, 400)])
def test_an_inspector_of_nothing_is_404_and_no_id_is_400_naming_the_field(client, world, value, status):
    client_as(client, world, "emergency")
    resp = client.post("/api/v1/inspections/records/", _record(world, inspectors=[value]), content_type=J)
    assert resp.status_code == status, resp.content
    if status == 400:
        assert "inspectors" in resp.json()["errors"]
    assert not Record.objects.exists()
