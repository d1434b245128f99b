"""The ledger's text search finds a hazard when the term is a substring of its stored text, in
any case — the oracle is Python's ``in`` over the casefolded text, not the search code — and the
registration refuses a description the search index could not hold."""

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from accounts.models import Sector
from enterprises.models import Enterprise
from hazards import services
from hazards.importing import import_hazards
from hazards.models import Hazard
from hazards.search import text_filter

pytestmark = pytest.mark.django_db


def _register(world, description, location=""):
    return services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce,
                                    sector=Sector.objects.get(code="commerce"), description=description,
                                    grade="general", location=location)


def _api(world):
    caches["throttle"].clear()
    api = APIClient()
    api.force_authenticate(world.user("commerce"))
    return api


def _found(world, term) -> set:
    response = _api(world).get("/api/v1/hazards/", {"q": term})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("text,term", [("消防  通道 堵塞", "消防  通"), ("消防\t通道 堵塞", "防\t通道"),
                                       ("仓库   二层  货架", "库   二层  货")])
def test_a_term_with_a_run_of_spaces_or_a_tab_finds_the_description_it_was_copied_from(world, text, term):
    created = _api(world).post("/api/v1/hazards/", {"enterprise": world.ent_commerce.pk, "sector": "commerce",
                                                     "description": text, "grade": "general"}, format="json")
    assert created.status_code == 201, created.content
    stored = Hazard.objects.get(pk=created.json()["id"]).description
    assert term in stored  # the oracle: the term is a substring of what was stored
    assert created.json()["id"] in _found(world, term)
    page = APIClient()
    page.force_login(world.user("commerce"))
    assert Hazard.objects.get(pk=created.json()["id"]).number in page.get("/hazards/", {"q": term}).content.decode()


@pytest.mark.parametrize("text,term", [("ＬＮＧ储罐区阀门", "ｌｎｇ"), ("ａｂｃ全角标识牌", "ＡＢＣ"),
                                       ("École宿舍", "éCOLE"), ("Москва设备", "МОСКВА")])
def test_letters_beyond_ascii_are_found_in_either_case(world, text, term):
    h = _register(world, text, location="一层")
    other = _register(world, "无关的隐患描述")
    assert term.casefold() in text.casefold() and term.casefold() not in other.description.casefold()
    assert set(text_filter(Hazard.objects.all(), term).values_list("pk", flat=True)) == {h.pk}
    assert _found(world, term) == {h.pk}


def test_an_enterprise_renamed_in_the_admin_is_found_by_its_new_name_only(world, client):
    from django.contrib.auth import get_user_model

    from core.testing import admin_change_data

    h = _register(world, "一般隐患甲")
    ent = world.ent_commerce
    superuser = get_user_model().objects.create_superuser("search_admin", "a@example.invalid", "x-Pass-12345")
    data = admin_change_data(superuser, ent)
    old_name = ent.name
    data["name"] = "新名阀门科技有限公司"
    client.force_login(superuser)
    assert client.post(f"/admin/enterprises/enterprise/{ent.pk}/change/", data).status_code == 302
    assert "阀门科" in Enterprise.objects.get(pk=ent.pk).name
    hits = lambda term: set(text_filter(Hazard.objects.all(), term).values_list("pk", flat=True))  # noqa: E731
    assert h.pk in hits("阀门科")
    lost = next(a + b for a, b in zip(old_name, old_name[1:], strict=False) if a + b not in data["name"])
    assert h.pk not in hits(lost), lost


def test_a_description_longer_than_the_limit_is_refused_with_its_field_on_every_path(world):
    from core.services import ServiceError

    limit = 5000
    ok = _register(world, "隐" * limit)  # at the limit: registered, and found
    assert ok.pk in set(text_filter(Hazard.objects.all(), "隐隐").values_list("pk", flat=True))
    with pytest.raises(ServiceError) as refused:
        _register(world, "".join(chr(0x4E00 + i % 20000) for i in range(limit + 1)))
    assert refused.value.field == "description" and "5000" in refused.value.message
    response = _api(world).post("/api/v1/hazards/", {"enterprise": world.ent_commerce.pk, "sector": "commerce",
                                                      "description": "险" * (limit + 1), "grade": "general"}, format="json")
    assert response.status_code == 400 and "description" in response.json()["errors"], response.content
    response = _api(world).post("/api/v1/hazards/", {"enterprise": world.ent_commerce.pk, "sector": "commerce",
                                                      "description": "险", "location": "楼" * 201, "grade": "general"},
                                format="json")
    assert response.status_code == 400 and "location" in response.json()["errors"], response.content
    page = APIClient()
    page.force_login(world.user("commerce"))
    before = Hazard.objects.count()
    response = page.post("/hazards/new/", {"enterprise": world.ent_commerce.pk, "sector": "commerce",
                                           "description": "险" * (limit + 1), "grade": "general"})
    assert response.status_code in (200, 400) and "隐患描述" in response.content.decode()
    assert Hazard.objects.count() == before


def test_an_imported_row_with_a_description_over_the_limit_is_reported_and_nothing_is_imported(world, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "隐患描述", "隐患等级", "行业领域", "状态", "整改期限"])
    ws.append([world.ent_commerce.credit_code, "货架超高", "一般", "commerce", "已登记", None])
    ws.append([world.ent_commerce.credit_code, "险" * 5001, "一般", "commerce", "已登记", None])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    before = Hazard.objects.count()
    result = import_hazards(world.user("commerce"), path.read_bytes(), dry_run=True)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "隐患描述")], result["errors"]
    assert "5000" in result["errors"][0]["reason"]
    assert Hazard.objects.count() == before
