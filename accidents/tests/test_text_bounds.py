"""The accident texts the services bound are refused with the field and the reason, never cut: the
investigation team's leader (60 characters, the column) was silently truncated; the report's
chapters and the evaluation's parts take a published report's length (50,000) and no more."""

import pytest
from django.core.exceptions import ObjectDoesNotExist

from accidents import services
from core.services import ServiceError

pytestmark = pytest.mark.django_db


def test_a_leader_name_longer_than_its_column_is_refused_not_cut(world, report):
    accident = report()
    committee = world.user("committee")
    with pytest.raises(ServiceError) as refused:
        services.start_investigation(committee, accident, leader_name="张" * 61, members="应急局")
    assert (refused.value.field, refused.value.message) == ("leader_name", "调查组组长不能超过60字。")
    accident.refresh_from_db()
    with pytest.raises(ObjectDoesNotExist):
        accident.investigation  # noqa: B018 - nothing was written
    services.start_investigation(committee, accident, leader_name="张" * 60, members="应急局")
    accident.refresh_from_db()
    assert accident.investigation.leader_name == "张" * 60


@pytest.mark.parametrize("field", ["technical_chapter", "management_chapter"])
def test_a_chapter_of_the_report_is_bounded_at_fifty_thousand_characters(world, report, field):
    accident = report()
    committee = world.user("committee")
    services.start_investigation(committee, accident, leader_name="张", members="应急局")
    chapters = {"technical_chapter": "技术篇", "management_chapter": "管理篇"}
    with pytest.raises(ServiceError) as refused:
        services.submit_report(committee, accident, cause="违章", nature="责任事故", **{**chapters, field: "篇" * 50_001})
    assert refused.value.field == field and "不能超过50000字" in refused.value.message
    services.submit_report(committee, accident, cause="违章", nature="责任事故", **{**chapters, field: "篇" * 50_000})
    accident.refresh_from_db()
    assert len(getattr(accident.investigation, field)) == 50_000


def test_the_api_says_the_bounds_the_services_keep(client, world, report):
    from core.testing import client_as

    accident = report()
    client_as(client, world, "committee")
    url = f"/api/v1/accidents/{accident.pk}/start-investigation/"
    response = client.post(url, {"leader_name": "张" * 61, "members": "应急局"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"] == {"leader_name": ["不能超过60字。"]}
    response = client.post(url, {"leader_name": "张" * 60, "members": "应急局"}, content_type="application/json")
    assert response.status_code == 200, response.content
