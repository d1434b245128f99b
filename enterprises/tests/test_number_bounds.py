"""Numbers a user, an API client or an import sends to the registry never reach the database unchecked,
and never answer a 500:

* the 从业人员数 is bounded once (``Enterprise.MAX_EMPLOYEES``) and the page's form, the API's serializer,
  ``services.create_enterprise`` / ``update_enterprise`` and the import each check it — the import had
  its own 10,000,000, the page and the API only the database's own range (2,147,483,647 on PostgreSQL,
  anything on SQLite), a caller of the services none before the column;
* an import's bad head count is reported with its row and column, and nothing of the file is kept;
* the engagements list's ``?enterprise=`` filter takes a record id only (an id beyond bigint was an
  OverflowError on SQLite — a 500 — a decimal or an exponent was silently truncated to another
  unit's id).

Run on PostgreSQL too."""

import csv
import io

import pytest

from core.services import ServiceError
from core.testing import client_as
from enterprises import services
from enterprises.importing import COLUMNS, import_enterprises
from enterprises.models import Enterprise
from enterprises.spreadsheets import read_rows
from enterprises.validators import make_credit_code

from .test_api import etag, payload
from .test_engagements import _agency, day
from .test_views import profile_post

pytestmark = pytest.mark.django_db
HUGE_IDS = ("99999999999999999999", str(2**63), "9" * 30)
NOT_IDS = ("1e400", "-1e400", "1e1", "1.5", "-1", "²", "٣", "NaN")


@pytest.fixture
def engagement(world):
    return services.engage_agency(world.user("enterprise"), agency=_agency(world), enterprise=world.ent_commerce,
                                  start=day())


@pytest.mark.parametrize("value", HUGE_IDS)
def test_an_enterprise_filter_beyond_any_id_lists_no_engagement(client, world, engagement, value):
    client_as(client, world, "emergency")
    r = client.get("/enterprises/engagements/", {"enterprise": value})
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 0
    r = client.get("/api/v1/engagements/", {"enterprise": value})
    assert r.status_code == 200 and r.json()["count"] == 0, r.content
    r = client.get("/api/v1/engagements/", {"enterprise": str(world.ent_commerce.pk)})
    assert [e["id"] for e in r.json()["results"]] == [engagement.pk]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_enterprise_filter_that_is_no_id_is_refused_on_its_field(client, world, engagement, value):
    client_as(client, world, "emergency")
    r = client.get("/enterprises/engagements/", {"enterprise": value})
    assert r.status_code == 400 and "enterprise" in r.context["filter"].form.errors, (value, r.status_code)
    assert r.context["filter"].form.errors["enterprise"] == ["生产经营单位编号须为正整数。"]
    r = client.get("/api/v1/engagements/", {"enterprise": value})
    assert r.status_code == 400 and "enterprise" in r.json()["errors"], (value, r.content)


# ---------------------------------------------------------------- 从业人员数

MAX = Enterprise.MAX_EMPLOYEES
TOO_MANY = (MAX + 1, 2**31, 10**20, -1)
REFUSAL = f"从业人员数须为0至{MAX}的整数。"


@pytest.mark.parametrize("value", TOO_MANY)
def test_the_pages_refuse_a_head_count_out_of_bounds_on_its_field(client, world, value):
    client_as(client, world, "commerce")
    r = client.post("/enterprises/new/", profile_post(world, employees=str(value)))
    assert r.status_code == 400 and r.context["form"].errors.get("employees"), (value, r.status_code)
    ent = world.ent_commerce
    r = client.post(f"/enterprises/{ent.pk}/edit/", profile_post(world, name=ent.name, credit_code=ent.credit_code,
                                                                 employees=str(value)))
    assert r.status_code == 400 and r.context["form"].errors.get("employees"), (value, r.status_code)
    assert not Enterprise.objects.filter(name="天津测试新登记有限公司").exists()
    ent.refresh_from_db()
    assert ent.employees != value


@pytest.mark.parametrize("value", TOO_MANY)
def test_the_api_refuses_a_head_count_out_of_bounds_on_its_field(client, world, value):
    client_as(client, world, "commerce")
    r = client.post("/api/v1/enterprises/", payload(world, employees=value), content_type="application/json")
    assert r.status_code == 400 and "employees" in r.json()["errors"], (value, r.content)
    pk = world.ent_commerce.pk
    r = client.patch(f"/api/v1/enterprises/{pk}/", {"employees": value}, content_type="application/json",
                     HTTP_IF_MATCH=etag(client, pk))
    assert r.status_code == 400 and "employees" in r.json()["errors"], (value, r.content)
    assert not Enterprise.objects.filter(name="接口登记测试有限公司").exists()
    assert Enterprise.objects.get(pk=pk).employees != value


def test_the_page_and_the_api_keep_a_head_count_at_the_bound(client, world):
    client_as(client, world, "commerce")
    assert client.post("/enterprises/new/", profile_post(world, employees=str(MAX))).status_code == 302
    assert Enterprise.objects.get(name="天津测试新登记有限公司").employees == MAX
    pk = world.ent_commerce.pk
    r = client.patch(f"/api/v1/enterprises/{pk}/", {"employees": MAX}, content_type="application/json",
                     HTTP_IF_MATCH=etag(client, pk))
    assert r.status_code == 200 and r.json()["employees"] == MAX


@pytest.mark.parametrize("value", [MAX + 1, 10**20, -1, "abc"])
def test_the_services_refuse_a_head_count_out_of_bounds(world, value):
    from accounts.models import Sector

    with pytest.raises(ServiceError) as exc:
        services.create_enterprise(world.user("commerce"), name="服务登记测试有限公司",
                                   credit_code=make_credit_code("91120105MA0088888"), region=world.townships[0],
                                   sectors=[Sector.objects.get(code="commerce")], employees=value)
    assert exc.value.field == "employees" and exc.value.message == REFUSAL
    with pytest.raises(ServiceError) as exc:
        services.update_enterprise(world.user("commerce"), world.ent_commerce, employees=value)
    assert exc.value.field == "employees" and exc.value.message == REFUSAL
    assert not Enterprise.objects.filter(name="服务登记测试有限公司").exists()
    world.ent_commerce.refresh_from_db()
    assert world.ent_commerce.employees != value


def test_the_form_and_the_serializer_bound_the_head_count_themselves(world):
    from enterprises.api import EnterpriseSerializer
    from enterprises.forms import EnterpriseForm

    form = EnterpriseForm({"employees": str(MAX + 1)}, user=world.user("commerce"))
    assert form.errors["employees"] == [REFUSAL]
    assert "employees" not in EnterpriseForm({"employees": str(MAX)}, user=world.user("commerce")).errors
    ser = EnterpriseSerializer(data={"employees": MAX + 1})
    assert not ser.is_valid() and ser.errors["employees"] == [REFUSAL]


def _csv(world, *employees) -> bytes:
    headers = [h for _, h, _ in COLUMNS]
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    out.writerow(headers)
    for n, count in enumerate(employees, start=1):
        values = {"单位名称": f"导入人数测试{n}有限公司", "统一社会信用代码": make_credit_code(f"91120105ME00000{n:02d}"),
                  "乡镇（街道）代码": world.townships[0].code, "行业领域": "commerce", "从业人员数": count}
        out.writerow([values.get(h, "") for h in headers])
    return buf.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("bad", [str(MAX + 1), "99999999999999999999", "1e5", "²", "-1", "1.5"])
def test_an_import_reports_the_row_and_column_of_a_bad_head_count_and_keeps_nothing_of_it(world, bad):
    """The dry run writes nothing; the real run skips the bad row and reports it (docs/import-formats.md:
    good rows are imported, in one transaction — no DataError from a bad one can fail them all)."""
    rows = read_rows(_csv(world, "30", bad, "40"), "单位.csv")
    for dry_run in (True, False):
        result = import_enterprises(world.user("committee"), rows, dry_run=dry_run)
        assert [(e["row"], e["column"]) for e in result.errors] == [(3, "从业人员数")], result.errors
        assert result.errors[0]["reason"] == f"从业人员数应为 0 至 {MAX} 的整数，而非“{bad}”。"
        assert not Enterprise.objects.filter(name="导入人数测试2有限公司").exists()
        assert Enterprise.objects.filter(name__startswith="导入人数测试").count() == (0 if dry_run else 2)
    assert set(Enterprise.objects.filter(name__startswith="导入人数测试").values_list("employees", flat=True)) == {30, 40}
    result = import_enterprises(world.user("committee"), read_rows(_csv(world, "30", str(MAX)), "单位.csv"),
                                dry_run=False)
    assert not result.errors and Enterprise.objects.get(name="导入人数测试2有限公司").employees == MAX
