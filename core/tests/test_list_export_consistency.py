"""A list's export is the list as its page shows it: the same rows in the same order under a
user-chosen sort, date-times a spreadsheet can sort, raw request input never breaking the job,
and the enterprise directory's CSV importing back unchanged."""

import csv
import datetime
import io

import pytest
from django.core.cache import caches
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Sector
from core.models import SecurityLog
from core.testing import client_as, exported
from enterprises.importing import import_enterprises
from enterprises.models import Enterprise
from enterprises.spreadsheets import read_rows
from hazards import services
from hazards.models import Hazard
from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGLING_JOBS_INLINE = False


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_a_sorted_ledger_lists_tied_rows_newest_first_on_every_page_and_in_the_export(client, world):
    commerce = Sector.objects.get(code="commerce")
    for i in range(30):
        services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=commerce,
                                 description=f"同级隐患{i}", grade="general")
    hazards = list(Hazard.objects.all())
    # the oracle: by the chosen key (等级: 一般 before 重大, as the codes sort), ties newest record first
    expected = [h.number for h in sorted(hazards, key=lambda h: (h.grade, -h.pk))]
    caches["throttle"].clear()
    api = APIClient()
    api.force_authenticate(world.user("commerce"))
    listed, page = [], 1
    while True:
        body = api.get("/api/v1/hazards/", {"sort": "grade", "page": page, "page_size": 7}).json()
        listed += [row["number"] for row in body["results"]]
        if not body.get("next"):
            break
        page += 1
    assert listed == expected
    client_as(client, world, "commerce")
    _job, content = exported(client, "/hazards/export.xlsx", {"sort": "grade", "format": "csv"})
    assert [r[0] for r in _csv(content)[1:]] == expected


def test_date_times_in_a_list_export_are_beijing_time_to_the_minute_and_typed_in_xlsx(client, world):
    from tips import services as tips

    tip, _code = tips.submit_tip(None, region=world.ent_commerce.region, sector=Sector.objects.get(code="commerce"),
                                 address="示范路1号", content="消防通道被货物堵塞，存在重大隐患。",
                                 enterprise_name="鑫隆商贸")
    from tips.models import Tip

    Tip.objects.filter(pk=tip.pk).update(submitted_at=datetime.datetime(2026, 3, 1, 17, 30, 15, 123456, tzinfo=datetime.UTC))
    client_as(client, world, "committee")
    assert "2026-03-02 01:30" in client.get("/tips/").content.decode()  # what the page shows
    _job, content = exported(client, "/tips/export.xlsx", {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in ws[1]]
    cells = [row[header.index("提交时间")] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [datetime.datetime(2026, 3, 2, 1, 30)]
    assert cells[0].data_type == "d" and cells[0].number_format == "yyyy-mm-dd hh:mm"
    _job, content = exported(client, "/tips/export.xlsx", {"format": "csv"})
    rows = _csv(content)
    assert [r[rows[0].index("提交时间")] for r in rows[1:]] == ["2026-03-02 01:30"]


def test_a_nul_in_the_search_term_is_refused_before_any_export_or_log(client, world):
    """No search term holds a NUL (PostgreSQL cannot compare one): the address is refused with its reason
    (core.middleware.NulRefusalMiddleware) — no job, no export log, nothing half done."""
    services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                             description="货架超高", grade="general")
    client_as(client, world, "commerce")
    jobs, logs = Job.objects.count(), SecurityLog.objects.filter(kind=SecurityLog.Kind.EXPORT).count()
    page = client.get("/hazards/export.xlsx", {"q": "货\x00架", "format": "csv"})
    assert page.status_code == 400 and "请求地址有误：q不能含有空字符（\\0）。" in page.content.decode()
    caches["throttle"].clear()
    api = APIClient()
    api.force_authenticate(world.user("commerce"))
    r = api.get("/api/v1/hazards/export/", {"q": "货\x00架"})
    assert r.status_code == 400 and r.json()["errors"] == {"q": ["不能含有空字符（\\0）"]}
    assert Job.objects.count() == jobs and SecurityLog.objects.filter(kind=SecurityLog.Kind.EXPORT).count() == logs
    _job, content = exported(client, "/hazards/export.xlsx", {"q": "货架", "format": "csv"})
    header, *rows = _csv(content)
    assert [r[header.index("隐患描述")] for r in rows] == ["货架超高"]


def test_the_enterprise_directory_exported_as_csv_imports_back_unchanged(client, world):
    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(principal_phone="+86 13800000001", address="-（无门牌号）",
                                                               legal_representative="＝张三")
    client_as(client, world, "committee")
    _job, content = exported(client, "/enterprises/export.xlsx", {"q": "鑫隆", "format": "csv"})
    rows = read_rows(content, "export.csv")
    assert [(r["主要负责人电话"], r["地址"]) for r in rows] == [("+86 13800000001", "-（无门牌号）")]
    result = import_enterprises(world.user("committee"), rows, dry_run=True)
    assert not result.errors and result.updated == 0 and result.unchanged == 1, result


def test_every_list_search_finds_letters_beyond_ascii_in_either_case(client, world):
    from tips import services as tips

    tip, _code = tips.submit_tip(None, region=world.ent_commerce.region, sector=Sector.objects.get(code="commerce"),
                                 address="示范路1号", content="ＬＮＧ储罐区阀门泄漏，无人处置。", enterprise_name="鑫隆商贸")
    assert "ｌｎｇ" in tip.content.casefold()  # the oracle
    client_as(client, world, "committee")
    page = client.get("/tips/", {"q": "ｌｎｇ"}).content.decode()
    assert tip.enterprise_name in page and "暂无" not in page
