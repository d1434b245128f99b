"""Ledger export through the API (small sets at once, large sets as a job of the page's kind with
the same FilterSet and rows), the job resource scoped to its requester, official documents
(docx, PDF where the pages offer PDF) scoped like the pages, and enums with ASCII names and
Chinese descriptions (issue 18)."""

import io
import re

import pytest
import yaml
from django.test import override_settings
from openpyxl import load_workbook

from core.testing import client_as
from hazards.tests.conftest import make_general, make_major
from jobs import runner
from jobs.models import Job

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGLING_JOBS_INLINE = False  # the job waits for the worker; the test runs it (jobs.runner.run)


def _numbers(content: bytes) -> set[str]:
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "隐患编号"
    return {r[0] for r in rows[1:]}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _ledger(world):
    """Three major and two general hazards of 鑫隆商贸 (commerce)."""
    majors = [make_major(world) for _ in range(3)]
    generals = [make_general(world) for _ in range(2)]
    return majors, generals


# ---------------------------------------------------------------- ledger export

def test_a_small_export_answers_the_filtered_rows_at_once(client, world):
    majors, generals = _ledger(world)
    client_as(client, world, "commerce")
    r = client.get("/api/v1/hazards/export/?grade=major")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    assert _numbers(r.content) == {h.number for h in majors}
    assert not Job.objects.exists()


@override_settings(API_EXPORT_SYNC_MAX_ROWS=2)
def test_a_large_export_is_a_job_with_the_same_rows_as_the_page_filter(client, world):
    majors, generals = _ledger(world)
    client_as(client, world, "commerce")
    r = client.get("/api/v1/hazards/export/?grade=major&sort=-found")
    assert r.status_code == 202, r.content
    job = r.json()
    assert r["Location"] == job["url"] == f"/api/v1/jobs/{job['id']}/"
    assert job["status"] == "pending" and job["download"] is None and job["kind"] == "lists.export"
    pending = client.get(job["url"]).json()
    assert pending["status"] == "pending" and pending["percent"] == 0
    assert client.get(f"/api/v1/jobs/{job['id']}/download/").status_code == 404  # nothing to download yet
    assert runner.run(job["id"]) == "done"
    done = client.get(job["url"])
    assert done.status_code == 200 and "ETag" in done
    done = done.json()
    assert done["status"] == "done" and done["percent"] == 100 and done["finished"] is True
    assert done["summary"] == {"rows": 3} and done["download"] == f"/api/v1/jobs/{job['id']}/download/"
    file = client.get(done["download"])
    assert file.status_code == 200 and file["Content-Type"] == XLSX
    assert _numbers(_body(file)) == {h.number for h in majors}  # the page's filter: grade=major, scoped
    # the page's export job of the same filter holds the same rows
    page = client.get("/hazards/export.xlsx?grade=major")
    page_job = Job.objects.exclude(pk=job["id"]).get()
    assert page.status_code == 302 and runner.run(page_job.pk) == "done"
    assert _numbers(_body(client.get(f"/api/v1/jobs/{page_job.pk}/download/"))) == {h.number for h in majors}


@override_settings(API_EXPORT_SYNC_MAX_ROWS=0)
def test_an_export_with_a_garbage_filter_is_400_and_makes_no_job(client, world):
    _ledger(world)
    client_as(client, world, "commerce")
    r = client.get("/api/v1/hazards/export/?grade=huge")
    assert r.status_code == 400 and "grade" in r.json()["errors"]
    assert not Job.objects.exists()


@override_settings(API_EXPORT_SYNC_MAX_ROWS=0)
@pytest.mark.parametrize("persona", ["other_region", "housing", "enterprise", "commerce_lead", "admin"])
def test_an_export_job_and_its_file_are_404_for_anyone_but_its_requester(client, world, persona):
    _ledger(world)
    client_as(client, world, "commerce")
    job = client.get("/api/v1/hazards/export/").json()
    runner.run(job["id"])
    client_as(client, world, persona)  # another region / sector / an enterprise / a colleague / a superuser
    assert client.get(f"/api/v1/jobs/{job['id']}/").status_code == 404
    r = client.get(f"/api/v1/jobs/{job['id']}/download/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    listed = client.get("/api/v1/jobs/").json()
    assert job["id"] not in [j["id"] for j in listed["results"]]


@override_settings(API_EXPORT_SYNC_MAX_ROWS=0)
def test_an_export_job_is_401_for_an_anonymous_caller(client, world):
    _ledger(world)
    client_as(client, world, "commerce")
    job = client.get("/api/v1/hazards/export/").json()
    runner.run(job["id"])
    client_as(client, world, "anon")
    for url in (f"/api/v1/jobs/{job['id']}/", f"/api/v1/jobs/{job['id']}/download/", "/api/v1/jobs/"):
        r = client.get(url)
        assert r.status_code == 401 and r.json()["code"] == "not_authenticated" and "WWW-Authenticate" in r


@override_settings(API_EXPORT_SYNC_MAX_ROWS=0)
def test_each_requester_exports_only_the_rows_in_their_scope(client, world):
    majors, generals = _ledger(world)
    client_as(client, world, "housing")  # another sector: none of the five
    r = client.get("/api/v1/hazards/export/")
    assert r.status_code == 200 and _numbers(r.content) == set()  # nothing above the threshold: at once
    client_as(client, world, "committee")  # the whole district: all five, as a job
    job = client.get("/api/v1/hazards/export/").json()
    assert runner.run(job["id"]) == "done"
    assert _numbers(_body(client.get(f"/api/v1/jobs/{job['id']}/download/"))) == {
        h.number for h in majors + generals}


# ---------------------------------------------------------------- official documents

def _is_docx(response):
    body = _body(response)
    return response.status_code == 200 and response["Content-Type"] == DOCX and body[:2] == b"PK"


def _closed_major(world):
    from hazards import services as hz
    from hazards.tests.conftest import make_major

    h = make_major(world)
    h = hz.submit_plan(world.user("enterprise"), h, plan={
        "goal_tasks": "消除隐患", "measures": "拆除门锁", "funds_materials": "5万元", "responsible": "张三",
        "deadline": h.deadline, "safety_emergency": "停用该区域"})
    hz.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
    h.refresh_from_db()
    return hz.accept(world.user("commerce_lead"), h, opinion="合格")


def test_hazard_documents_are_docx_scoped_like_the_pages(client, world):
    h = _closed_major(world)
    general = make_general(world)
    for persona in ("commerce", "enterprise", "committee"):
        client_as(client, world, persona)
        assert _is_docx(client.get(f"/api/v1/hazards/{h.pk}/documents/report/")), persona
        assert _is_docx(client.get(f"/api/v1/hazards/{h.pk}/documents/acceptance/")), persona
    client_as(client, world, "commerce")
    assert client.get(f"/api/v1/hazards/{general.pk}/documents/report/").status_code == 404  # only 重大 has a 报告表
    assert client.get(f"/api/v1/hazards/{general.pk}/documents/acceptance/").status_code == 404  # not accepted
    assert client.get(f"/api/v1/hazards/{h.pk}/documents/report/?doc_format=rtf").status_code == 400
    for persona in ("other_region", "housing", "enterprise_other"):
        client_as(client, world, persona)
        assert client.get(f"/api/v1/hazards/{h.pk}/documents/report/").status_code == 404, persona
    client_as(client, world, "anon")
    assert client.get(f"/api/v1/hazards/{h.pk}/documents/report/").status_code == 401


def test_the_pdf_of_a_document_is_a_pdf_where_the_pages_offer_pdf(client, world):
    from documents.render import soffice_path

    if not soffice_path():
        pytest.skip("LibreOffice not installed")
    h = make_major(world)
    client_as(client, world, "commerce")
    r = client.get(f"/api/v1/hazards/{h.pk}/documents/report/?doc_format=pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert ".pdf" in r["Content-Disposition"]


def test_listing_inspection_decision_risk_and_bulletin_documents(client, world):
    import datetime

    from django.utils import timezone

    from enforcement import services as es
    from enforcement.models import CaseParty, PenaltyArticle
    from inspections import services as ins
    from inspections.models import RecordItem
    from supervision import services as sv

    today = timezone.localdate()
    listing = sv.propose_listing(world.user("committee"), hazard=make_major(world),
                                 responsible_department=world.org("commerce"),
                                 deadline=today + datetime.timedelta(days=30), requirements="限期整改")
    listing = sv.approve(world.user("committee_lead"), listing)  # the notice is issued with the approval
    rec = ins.create_record(world.user("emergency"), enterprise=world.ent_commerce, inspectors=[world.user("emergency")],
                            inspected_on=today)
    item = rec.items.first()
    ins.set_item(world.user("emergency"), item, result=RecordItem.Result.HAZARD, note="安全出口堵塞", grade="general",
                 deadline=today + datetime.timedelta(days=15))
    other_item = rec.items.exclude(pk=item.pk).first()
    actor = world.user("commerce")
    case = es.open_case(actor, enterprise=world.ent_commerce, title="未如实记录隐患排查治理情况", facts="台账缺失。")
    es.advance(actor, case, "investigate")
    es.advance(actor, case, "notify")
    decision = es.decide_penalty(actor, case, party=case.parties.get(kind=CaseParty.Kind.ENTITY),
                                 article=PenaltyArticle.objects.get(article=102, item=""), amount=20000)
    cases = [
        ("committee", f"/api/v1/listings/{listing.pk}/documents/notice/"),
        ("emergency", f"/api/v1/inspections/records/{rec.pk}/documents/record/"),
        ("emergency", f"/api/v1/inspections/records/{rec.pk}/documents/orders/{item.pk}/"),
        ("commerce", f"/api/v1/decisions/{decision.pk}/document/"),
        ("committee", "/api/v1/bulletin/document/?year=2026&quarter=1"),
    ]
    for persona, url in cases:
        client_as(client, world, persona)
        assert _is_docx(client.get(url)), (persona, url, client.get(url).content[:300])
    client_as(client, world, "emergency")
    assert client.get(f"/api/v1/inspections/records/{rec.pk}/documents/orders/{other_item.pk}/").status_code == 404
    client_as(client, world, "committee")
    assert client.get("/api/v1/bulletin/document/?quarter=5").json()["errors"].keys() == {"quarter"}
    for persona in ("other_region", "anon"):
        client_as(client, world, persona)
        for _, url in cases[:4]:
            assert client.get(url).status_code == (401 if persona == "anon" else 404), (persona, url)
    client_as(client, world, "enterprise")  # the bulletin is for government users
    assert client.get("/api/v1/bulletin/document/").status_code == 404


def test_every_document_operation_declares_its_real_content_types(client, world):
    client_as(client, world, "admin")
    schema = yaml.safe_load(client.get("/api/schema/").content)
    docs = {p: ops["get"] for p, ops in schema["paths"].items() if re.search(r"/documents?/", p) and "get" in ops}
    assert len(docs) >= 10, sorted(docs)
    for path, op in docs.items():
        content = op["responses"]["200"]["content"]
        assert DOCX in content, path
        has_pdf = any(p["name"] == "doc_format" for p in op.get("parameters", []))
        assert ("application/pdf" in content) == has_pdf, path
        if has_pdf:
            assert "503" in op["responses"], path
    pdf_paths = {p for p, op in docs.items() if "application/pdf" in op["responses"]["200"]["content"]}
    assert pdf_paths == {"/api/v1/hazards/{id}/documents/report/", "/api/v1/hazards/{id}/documents/acceptance/",
                         "/api/v1/listings/{id}/documents/notice/"}  # the documents app's pages offer PDF
    export = schema["paths"]["/api/v1/hazards/export/"]["get"]["responses"]
    assert XLSX in export["200"]["content"] and "application/json" in export["202"]["content"]


# ---------------------------------------------------------------- enums

def test_every_enum_has_ascii_member_names_and_a_chinese_description_of_each_value(client, world):
    client_as(client, world, "admin")
    schema = yaml.safe_load(client.get("/api/schema/").content)
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list) and node["enum"]:
                found.append((where, node))
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(schema, "")
    assert len(found) > 60
    for where, node in found:
        names = node.get("x-enum-varnames")
        values = node["enum"]
        assert names and len(names) == len(values) and len(set(names)) == len(names), where
        assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", n) for n in names), (where, names)
        assert str(node.get("title", "")).isascii(), (where, node.get("title"))  # clients name the class after it
        description = node.get("description", "")
        for value in values:
            if value is None:
                continue
            line = re.search(rf"^\* `{re.escape(str(value))}` - (.+)$", description, re.M)
            assert line and re.search(r"[\u4e00-\u9fff]", line.group(1)), (where, value, description)
    grades = schema["components"]["schemas"]["HazardGradeEnum"]
    assert dict(zip(grades["enum"], grades["x-enum-varnames"], strict=True)) == {"general": "GENERAL", "major": "MAJOR"}
    from hazards.models import Hazard

    assert f"* `major` - {Hazard.Grade.MAJOR.label}" in grades["description"]
