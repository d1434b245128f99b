"""Generated tests for every registered list (core.lists.REGISTRY).

For each list a factory makes N rows that belong to 鑫隆商贸 (commerce sector, 光复道街道,
河北区). Expected visibility comes from the scope rules in docs/architecture.md, written here as
literals — not from the list code: the district committee sees them; another district, a
department of another sector and another enterprise see none of them; anonymous users are sent
to the login page. The query count of the page must not grow between 5 and 50 rows.
"""

import datetime
import itertools

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from core.lists import REGISTRY
from core.testing import client_as, exported, link_href

URL_PATTERNS = get_resolver().url_patterns  # importing the URLconf imports every list view (fills REGISTRY)


SEQ = itertools.count(1)  # unique suffixes across factory calls within a test


def clone(obj, n: int, **vary) -> list[int]:
    """``obj`` plus n-1 copies (fields in ``vary`` computed from a fresh sequence number)."""
    pks = [obj.pk]
    for _ in range(1, n):
        i = next(SEQ)
        obj.pk = obj.id = None
        obj._state.adding = True
        for field, make in vary.items():
            setattr(obj, field, make(i))
        obj.save()
        pks.append(obj.pk)
    return pks


def _hazards(world, n):
    from hazards.tests.conftest import make_general

    return clone(make_general(world), n)


def _enterprises(world, n):
    seed = world.ent_commerce
    sectors = list(seed.sectors.all())
    base = type(seed).objects.get(pk=seed.pk)
    pks = clone(base, n, credit_code=lambda i: f"91120105MA{i:08d}", name=lambda i: f"测试商贸{i}号",
                organisation=lambda i: None)
    for ent in type(seed).objects.filter(pk__in=pks[1:]):
        ent.sectors.set(sectors)
    return pks


def _listings(world, n):
    from supervision.tests.helpers import listed

    return clone(listed(world), n)


def _cases(world, n):
    from enforcement.tests.helpers import notified_case

    return clone(notified_case(world), n)


def _credit(world, n):
    from enforcement import services
    from enforcement.tests.helpers import penalised

    penalised(world)  # the ground of a listing
    return clone(services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="多次处罚"), n)


def _typical(world, n):
    from enforcement import services
    from enforcement.tests.helpers import decided_case

    case = decided_case(world)
    services.advance(world.user("commerce"), case, "close")  # published once closed
    row = services.publish_typical(world.user("commerce_lead"), case, title="典型案例", summary="案情简介")
    return clone(row, n)


def _tips(world, n):
    from accounts.models import Sector
    from tips import services

    ent = world.ent_commerce
    tip, _ = services.submit_tip(None, region=ent.region, sector=Sector.objects.get(code="commerce"), address="示范路1号",
                                 enterprise=ent, content="仓库堆放货物堵塞疏散通道。")
    return clone(tip, n, tracking_hash=lambda i: f"{i:064d}")


def _records(world, n):
    from inspections.models import Record

    row = Record.objects.create(enterprise=world.ent_commerce, organisation=world.org("commerce"),
                                inspected_on=timezone.localdate(), location="门店")
    return clone(row, n)


def _spot_checks(world, n):
    from inspections.models import SpotCheck

    row = SpotCheck.objects.create(enterprise=world.ent_commerce, organisation=world.org("commerce"),
                                   checked_on=timezone.localdate(), q2_8=True)
    return clone(row, n)


def _risk_points(world, n):
    from risks.models import RiskPoint

    row = RiskPoint.objects.create(enterprise=world.ent_commerce, code=f"FX-{next(SEQ)}", name="仓库", category="火灾",
                                   location="一层仓库", hazard_factors="可燃物堆放")
    return clone(row, n, code=lambda i: f"FX-{i}")


def _notifications(world, n):
    from core.models import Notification

    row = Notification.objects.create(recipient=world.user("committee"), kind="test", title="待办提醒",
                                      dedupe_key=f"lists-test-{next(SEQ)}")
    return clone(row, n, dedupe_key=lambda i: f"lists-test-{i}")


def _standards(world, n):
    from standards.models import Standard

    row = Standard.objects.filter(is_current=True).order_by("id").first()
    row = Standard.objects.get(pk=row.pk)
    row.pk = row.id = None
    row._state.adding = True
    row.code = f"LISTS-{next(SEQ)}"
    row.supersedes = None
    row.save()
    return clone(row, n, code=lambda i: f"LISTS-{i}")


def _organisations(world, n):
    from accounts import services
    from accounts.models import Organisation

    row = services.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name=f"河北区测试局{next(SEQ)}",
                                       region=world.district, department_type=world.org("commerce").department_type)
    return clone(row, n, name=lambda i: f"河北区测试局{i}")


def _accounts(world, n):
    """Accounts of 鑫隆商贸 (its login unit), made by the account service as its principal would."""
    from accounts import services

    org = world.user("enterprise").membership.organisation
    return [services.create_user(None, username=f"lists_user_{next(SEQ)}", password=None, organisation=org,
                                 role="staff", full_name="测试员工").membership.pk for _ in range(n)]


def _accountability(world, n):
    from enforcement import services

    row = services.record_accountability(world.user("committee"), person_name="张某", measure="诫勉谈话")
    return clone(row, n)


def _accidents(world, n):
    from accidents import services
    from accounts.models import Sector

    ent = world.ent_commerce
    occurred = timezone.now() - datetime.timedelta(hours=2)
    row = services.report_accident(world.user("enterprise"), region=ent.region, place="仓库二层", enterprise=ent,
                                   sector=Sector.objects.get(code="commerce"), accident_type="object_strike",
                                   occurred_at=occurred,
                                   learned_at=occurred + datetime.timedelta(minutes=10),
                                   reported_at=occurred + datetime.timedelta(minutes=40), summary="货架倒塌砸伤一人。")
    return clone(row, n)


def _lesson_checks(world, n):
    from accidents.models import Accident, LessonCheck

    accident = Accident.objects.get(pk=_accidents(world, 1)[0])
    row = LessonCheck(accident=accident, organisation=world.org("committee"), title="举一反三检查",
                      checklist=["货架固定"], deadline=timezone.localdate() + datetime.timedelta(days=30))
    row.set_region_codes(world.district)
    row.save()
    return clone(row, n)


def _activities(world, n):
    from campaigns import services

    row = services.record_activity(world.user("committee"), unit=world.org("committee"), kind="study",
                                   date=timezone.localdate(), participants="全体成员", summary="专题学习")
    return clone(row, n)


def _holidays(world, n):
    from tips.models import Holiday

    start = datetime.date(2090, 1, 1) + datetime.timedelta(days=next(SEQ) * 60)
    row = Holiday.objects.create(date=start, name="测试假日", is_workday=False)
    return clone(row, n, date=lambda i: datetime.date(2090, 1, 1) + datetime.timedelta(days=i * 60))


def _jobs(world, n):
    from jobs.models import Job

    row = Job.objects.create(kind="test", title="测试任务", owner=world.user("committee"))
    return clone(row, n)


def _import_jobs(world, n):
    from enterprises.models import ImportJob

    row = ImportJob.objects.create(created_by=world.user("committee"), file="imports/test.xlsx", file_name="test.xlsx")
    return clone(row, n)


def _submissions(world, n):
    from campaigns import services
    from campaigns.models import Submission

    today = timezone.localdate()
    campaign = services.create_campaign(None, name=f"测试专项行动{next(SEQ)}", issuer=world.org("committee"),
                                        region=world.district, start=today - datetime.timedelta(days=30),
                                        end=today + datetime.timedelta(days=30))
    row = Submission(campaign=campaign, unit=world.org("committee"), week=today - datetime.timedelta(days=today.weekday()),
                     as_of=timezone.now(), values={}, submitted_by_name="测试")
    row.set_region_codes(world.district)
    row.save()
    return clone(row, n, version=lambda i: i + 1)


def _engagements(world, n):
    from accounts import services as accounts
    from accounts.models import Organisation
    from enterprises import services

    agency = accounts.ensure_organisation(None, kind=Organisation.Kind.AGENCY, name=f"测试安评公司{next(SEQ)}",
                                          region=world.district)
    row = services.engage_agency(world.user("enterprise"), agency=agency, enterprise=world.ent_commerce,
                                 start=timezone.localdate())
    # copies a day apart, one day each (the service refuses overlaps; the list only reads them)
    return clone(row, n, start=lambda i: timezone.localdate() + datetime.timedelta(days=i),
                 end=lambda i: timezone.localdate() + datetime.timedelta(days=i))


FACTORIES = {
    "enterprises.engagements": _engagements,
    "jobs.list": _jobs,
    "enterprises.imports": _import_jobs,
    "campaigns.submissions": _submissions,
    "accidents.list": _accidents,
    "accidents.lessons": _lesson_checks,
    "campaigns.activities": _activities,
    "core.ruletable_rows": _holidays,
    "enforcement.accountability": _accountability,
    "accounts.organisations": _organisations,
    "accounts.users": _accounts,
    "standards.list": _standards,
    "core.inbox": _notifications,
    "inspections.records": _records,
    "inspections.spot_checks": _spot_checks,
    "risks.list": _risk_points,
    "hazards.ledger": _hazards,
    "enterprises.list": _enterprises,
    "supervision.list": _listings,
    "enforcement.cases": _cases,
    "enforcement.credit": _credit,
    "enforcement.typical": _typical,
    "tips.inbox": _tips,
    "obligations.list": _enterprises,
}

# persona → what it gets for a list of 鑫隆商贸's rows: "all", "none", a status code or "login".
# Tips are for government staff only (403 for enterprise users).
MATRIX = {
    "committee": "all", "other_region": "none", "housing": "none", "enterprise_other": "none", "anon": "login",
}
OVERRIDES = {
    # one's own background jobs / import jobs only; importing is for government writers (403 otherwise)
    "enterprises.imports": {"enterprise_other": 403},
    # submitted dispatch tables: government units only (others have no such page)
    "campaigns.submissions": {"enterprise_other": 404},
    # 举一反三 checks are for government staff only
    "accidents.lessons": {"enterprise_other": 403},
    # a unit's own activity log: other units see none of it, enterprises have no such page
    "campaigns.activities": {"enterprise_other": 404},
    # rule tables are reference data kept by committee offices (and holders of the change permission)
    "core.ruletable_rows": {"other_region": 403, "housing": 403, "enterprise_other": 403},
    "tips.inbox": {"enterprise_other": 403},
    # the determination standards are reference data: every logged-in user reads the whole catalogue
    "standards.list": {"other_region": "all", "housing": "all", "enterprise_other": "all"},
    # 责任倒查 records are placed in a region and belong to no sector; government staff only (404 otherwise)
    "enforcement.accountability": {"housing": "all", "enterprise_other": 404},
    # units are placed in a region and belong to no sector: every government user of the region sees them
    "accounts.organisations": {"housing": "all"},
    # an enterprise user's /obligations/ is its own self-check page, not the list
    "obligations.list": {"enterprise_other": 200},
    # accounts are kept by account administrators only (unit administrators and leaders, an enterprise's
    # principal; docs/accounts.md): officers manage none (404); the 区安委办 leader manages 鑫隆's; another
    # enterprise's principal has the page, with its own accounts only
    "accounts.users": {"committee": 404, "other_region": 404, "housing": 404, "committee_lead": "all"},
}
#: who opens a list for the query-count and filter tests (the committee office officer unless said here)
LIST_USER = {"accounts.users": "committee_lead"}


def test_every_registered_list_has_a_factory():
    assert set(REGISTRY) == set(FACTORIES)


def _in_page_queryset(response, pks) -> int:
    return response.context["page_obj"].paginator.object_list.filter(pk__in=pks).count()


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_permission_matrix(client, world, name):
    view = REGISTRY[name]
    pks = FACTORIES[name](world, 3)
    url = reverse(view.url_name, kwargs=view.url_kwargs)
    problems = []
    for persona, base in {**MATRIX, **OVERRIDES.get(name, {})}.items():
        want = OVERRIDES.get(name, {}).get(persona, base)
        client_as(client, world, persona)
        response = client.get(url)
        if want == "login":
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif isinstance(want, int):
            ok = response.status_code == want
        else:
            seen = _in_page_queryset(response, pks) if response.status_code == 200 else None
            ok = seen == (len(pks) if want == "all" else 0)
        if not ok:
            problems.append(f"{persona}: {response.status_code}, expected {want}")
    assert not problems, f"{name}: " + "; ".join(problems)


EXPORTING = sorted(n for n in FACTORIES if REGISTRY[n].export_name is not None)


def _file_rows(content: bytes) -> int:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("name", EXPORTING)
def test_export_permission_matrix(client, world, name):
    """Each persona's export (a job, downloaded by its owner) holds as many rows as the persona's
    page counts — whose scope test_permission_matrix checks against the literal matrix: the three
    new rows and the rest for those who see them, none of them for the others. Personas refused
    the page are refused the export in the same way, and no job is made for them."""
    from jobs.models import Job

    view = REGISTRY[name]
    FACTORIES[name](world, 3)
    page_url = reverse(view.url_name, kwargs=view.url_kwargs)
    export_url = reverse(view.export_url_name, kwargs=view.url_kwargs)
    problems = []
    for persona, base in MATRIX.items():
        want = OVERRIDES.get(name, {}).get(persona, base)
        client_as(client, world, persona)
        jobs = Job.objects.count()
        if want == "login" or (isinstance(want, int) and want != 200):
            response = client.get(export_url)
            ok = (response.status_code == 302 and "/accounts/login/" in response["Location"] if want == "login"
                  else response.status_code == want) and Job.objects.count() == jobs
            if not ok:
                problems.append(f"{persona}: {response.status_code}, expected {want} and no job")
            continue
        page = client.get(page_url)
        job, content = exported(client, export_url)
        rows = _file_rows(content)
        total = page.context.get("total") if page.context else None
        if job.owner_id != world.user(persona).pk or job.kind != "lists.export":
            problems.append(f"{persona}: job {job.kind} of user {job.owner_id}")
        elif total is not None and rows != total:
            problems.append(f"{persona}: {rows} rows exported, the page counts {total}")
        elif want == "all" and rows < 3:
            problems.append(f"{persona}: {rows} rows exported, expected the 3 new ones at least")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_an_export_job_reapplies_the_scope_when_it_runs(world):
    """The job works from what its owner may see when it runs, not when it was asked for."""
    from core.lists import bound_list
    from core.services import ServiceError

    _cases(world, 2)
    committee = world.user("committee")
    rows = bound_list(committee, "enforcement.cases", {"stage": ["notified"]})[3]
    assert rows.count() == 2
    assert bound_list(world.user("other_region"), "enforcement.cases", {"stage": ["notified"]})[3].count() == 0
    with pytest.raises(ServiceError, match="无权查看"):
        bound_list(world.user("enterprise_other"), "tips.inbox", {})  # the inbox is for government staff
    with pytest.raises(ServiceError, match="筛选条件有误"):
        bound_list(committee, "enforcement.cases", {"stage": ["zzz"]})
    with pytest.raises(ServiceError, match="没有可导出的列表"):
        bound_list(committee, "no.such.list", {})
    committee.is_active = False
    with pytest.raises(ServiceError, match="已停用"):
        bound_list(committee, "enforcement.cases", {})


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_query_count_does_not_grow(client, world, name):
    view = REGISTRY[name]
    url = reverse(view.url_name, kwargs=view.url_kwargs)
    pks = FACTORIES[name](world, 5)
    client_as(client, world, LIST_USER.get(name, "committee"))
    client.get(url)  # warm caches (session, reference tables)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    few, response = count()
    assert _in_page_queryset(response, pks) == 5
    more = FACTORIES[name](world, 45)
    many, response = count()
    assert _in_page_queryset(response, more) == 45
    assert many <= few, f"{name}: {few} queries with 5 rows, {many} with 50"


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_invalid_filter_is_a_chinese_form_error(client, world, name):
    view = REGISTRY[name]
    client_as(client, world, LIST_USER.get(name, "committee"))
    strict = (django_filters.ChoiceFilter, django_filters.BooleanFilter, django_filters.DateFilter,
              django_filters.NumberFilter)
    field = next(n for n, f in view.filterset_class.base_filters.items() if isinstance(f, strict))
    response = client.get(reverse(view.url_name, kwargs=view.url_kwargs), {field: "no-such-value"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-field="{field}"' in html and "筛选条件有误" in html


def test_export_is_exactly_the_filtered_rows(client, world):
    import io

    from openpyxl import load_workbook

    from jobs.models import Job

    _cases(world, 3)
    client_as(client, world, "committee")
    job, content = exported(client, reverse("enforcement:case_export"), {"stage": "notified"})
    assert load_workbook(io.BytesIO(content)).active.max_row - 1 == 3 and job.message == "已导出 3 条记录。"
    page = client.get(reverse("enforcement:case_list"), {"stage": "notified"}).content.decode()
    csv_link = link_href(page, "export-csv-link")  # the page's own link keeps its filter
    assert "stage=notified" in csv_link and "format=csv" in csv_link
    _job, content = exported(client, csv_link)
    assert len(content.decode("utf-8-sig").strip().splitlines()) - 1 == 3
    _job, content = exported(client, reverse("enforcement:case_export"), {"stage": "filed"})
    assert load_workbook(io.BytesIO(content)).active.max_row == 1  # the header only
    jobs = Job.objects.count()
    bad = client.get(reverse("enforcement:case_export"), {"stage": "zzz"})
    assert bad.status_code == 400 and "筛选条件有误" in bad.content.decode()
    bad = client.get(reverse("enforcement:case_export"), {"format": "pdf"})
    assert bad.status_code == 400 and "导出格式" in bad.content.decode()
    assert Job.objects.count() == jobs  # a refused export queues nothing


# ---------------------------------------------------------------- the reported bugs, at scale


def test_tips_overdue_filter_finds_an_old_tip_among_600(client, world):
    from tips.models import Tip

    pks = _tips(world, 600)
    oldest = Tip.objects.filter(pk__in=pks).order_by("submitted_at", "id").first()
    today = timezone.localdate()
    Tip.objects.filter(pk__in=pks).update(accept_deadline=today + datetime.timedelta(days=5))
    Tip.objects.filter(pk=oldest.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=400),
                                            accept_deadline=today - datetime.timedelta(days=1))
    client_as(client, world, "committee")
    response = client.get(reverse("tips:inbox"), {"overdue": "true"})
    assert response.status_code == 200
    assert response.context["total"] == 1 and [t.pk for t in response.context["rows"]] == [oldest.pk]
    response = client.get(reverse("tips:inbox"), {"overdue": "false"})
    assert response.context["total"] == 599


def _follow_next(client, response):
    href = link_href(response.content.decode(), "page-next")
    return client.get(response.wsgi_request.path + href), href


def test_case_list_page_two_keeps_its_filter(client, world):
    from enforcement.models import Case

    pks = _cases(world, 60)
    Case.objects.filter(pk__in=pks[:5]).update(stage=Case.Stage.FILED)
    client_as(client, world, "committee")
    first = client.get(reverse("enforcement:case_list"), {"stage": "notified", "q": "未如实"})
    assert first.context["total"] == 55
    second, href = _follow_next(client, first)
    assert "stage=notified" in href and "page=2" in href
    assert second.context["total"] == 55 and len(second.context["rows"]) == 5
    assert all(c.stage == "notified" for c in second.context["rows"])


def test_listing_list_page_two_keeps_its_filter(client, world):
    from supervision.models import Listing

    pks = _listings(world, 60)
    Listing.objects.filter(pk__in=pks[:5]).update(level=Listing.Level.CITY)
    level = Listing.objects.get(pk=pks[-1]).level
    client_as(client, world, "committee")
    first = client.get(reverse("supervision:list"), {"level": level})
    assert first.context["total"] == 55
    second, href = _follow_next(client, first)
    assert f"level={level}" in href
    assert len(second.context["rows"]) == 5 and all(x.level == level for x in second.context["rows"])


def test_obligations_list_at_400_enterprises(client, world, django_assert_max_num_queries):
    from enterprises.models import Enterprise

    _enterprises(world, 400)
    client_as(client, world, "committee")
    operating = Enterprise.objects.visible_to(world.user("committee")).filter(status="operating").count()
    with django_assert_max_num_queries(40):
        response = client.get(reverse("obligations:dashboard"))
    assert response.status_code == 200 and response.context["total"] == operating >= 400
    with django_assert_max_num_queries(40):
        overdue = client.get(reverse("obligations:dashboard"), {"overdue": "true"})
    not_overdue = client.get(reverse("obligations:dashboard"), {"overdue": "false"})
    assert overdue.context["total"] > 50 and overdue.context["total"] + not_overdue.context["total"] == operating
    second, href = _follow_next(client, overdue)
    assert "overdue=true" in href and second.context["total"] == overdue.context["total"]
    assert all(e.summary["overdue"] for e in second.context["rows"])
    import io

    from openpyxl import load_workbook

    _job, content = exported(client, reverse("obligations:export"), {"overdue": "true"})
    assert load_workbook(io.BytesIO(content)).active.max_row - 1 == overdue.context["total"]


def test_api_shares_the_filterset_and_refuses_bad_values(client, world):
    from tips.models import Tip

    pks = _tips(world, 3)
    today = timezone.localdate()
    Tip.objects.filter(pk__in=pks).update(accept_deadline=today + datetime.timedelta(days=5))
    Tip.objects.filter(pk=pks[0]).update(accept_deadline=today - datetime.timedelta(days=1))
    client_as(client, world, "committee")
    body = client.get(reverse("tip-list"), {"overdue": "true"}).json()
    assert [row["id"] for row in body["results"]] == [pks[0]]
    bad = client.get(reverse("tip-list"), {"overdue": "maybe", "status": "zzz"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"overdue", "status"}
    assert client.get(reverse("case-list"), {"stage": "zzz"}).status_code == 400


def test_an_export_job_reads_from_the_read_database(world, monkeypatch):
    """Exports read where statistics and the board read (core.routers.read_db: the replica when
    DATABASE_REPLICA_URL is set): pointed at an alias that does not exist, the job cannot read."""
    from django.utils.connection import ConnectionDoesNotExist

    from core import routers
    from jobs.models import Job
    from jobs.registry import handler_for

    _cases(world, 1)
    job = Job.objects.create(owner=world.user("committee"), kind="lists.export", title="导出",
                             params={"list": "enforcement.cases", "query": {}, "format": "csv"})
    monkeypatch.setattr(routers, "read_db", lambda: "no_such_replica")
    with pytest.raises(ConnectionDoesNotExist):
        handler_for("lists.export")(job, lambda *a, **k: None)
