"""Permission matrix for every inspection page (out of scope → 404, not allowed → 403)."""

import io

import pytest
from openpyxl import Workbook

from core.testing import check_matrix, client_as
from documents.render import docx_text
from inspections import review, services
from inspections.models import Record, ReviewBatch

from .factories import record, today, with_finding

SEE_ENT = {"committee": 200, "emergency": 200, "commerce": 200, "township": 200, "enterprise": 200,
           "housing": 404, "township_other": 404, "other_region": 404, "enterprise_other": 404, "agency": 404,
           "nobody": 404, "anon": "login"}
DEPT_OWNED = {"emergency": 200, "emergency2": 200, "committee": 200, "province": 200, "commerce": 404,
              "housing": 404, "township": 404, "other_region": 404, "enterprise": 404, "nobody": 404, "anon": "login"}
WRITERS = {"emergency": 200, "commerce": 200, "township": 200, "committee": 200, "enterprise": 403, "agency": 403,
           "nobody": 403, "anon": "login"}


@pytest.fixture
def data(world):
    rec = record(world)
    item = with_finding(world, rec)
    services.answer_remaining(world.user("emergency"), rec)
    services.sign(world.user("emergency"), rec)
    draft = record(world)
    plan = services.create_plan(world.user("emergency"), title="计划", year=today().year, planned_count=3)
    services.make_draw(world.user("emergency"), plan, count=2)
    visit = services.record_visit(world.user("emergency"), kind="help_township", visited_on=today(), content="x",
                                  township=world.townships[0])
    item.refresh_from_db()
    batch = review.import_batch(world.user("emergency"), title="复查", hazard_ids=[item.hazard_id],
                                inspector=world.user("emergency2"))
    return {"rec": rec, "item": item, "draft": draft, "plan": plan, "visit": visit, "batch": batch}


def test_index_and_lists(client, world, data):
    everyone = {"committee": 200, "emergency": 200, "commerce": 200, "enterprise": 200, "other_region": 200,
                "nobody": 200, "anon": "login"}
    check_matrix(client, world, "/inspections/", everyone)
    check_matrix(client, world, "/inspections/spot-checks/", everyone)
    client_as(client, world, "other_region")
    assert data["rec"].number not in client.get("/inspections/").content.decode()


def test_record_pages(client, world, data):
    rec = data["rec"]
    check_matrix(client, world, f"/inspections/records/{rec.pk}/", SEE_ENT)
    check_matrix(client, world, f"/inspections/records/{rec.pk}/record.docx", SEE_ENT)
    check_matrix(client, world, f"/inspections/records/{rec.pk}/orders/{data['item'].pk}.docx", SEE_ENT)
    check_matrix(client, world, "/inspections/records/new/", WRITERS)


def test_record_writes(client, world, data):
    draft = data["draft"]
    item = draft.items.first()
    url = f"/inspections/records/{draft.pk}/items/{item.pk}/"
    check_matrix(client, world, url, {"other_region": 404, "housing": 404, "anon": "login"}, method="post",
                 data={f"i{item.pk}-result": "conform"})
    client_as(client, world, "emergency")
    assert client.post(url, {f"i{item.pk}-result": "bogus"}).status_code == 400
    assert client.post(url, {f"i{item.pk}-result": "hazard", f"i{item.pk}-note": ""}).status_code == 400
    assert client.post(url, {f"i{item.pk}-result": "conform"}).status_code == 302
    check_matrix(client, world, f"/inspections/records/{draft.pk}/sign/",
                 {"other_region": 404, "emergency2": 403, "enterprise": 403}, method="post")
    client_as(client, world, "emergency")
    refused = client.post(f"/inspections/records/{draft.pk}/sign/")  # unanswered lines: the record again, saying why
    assert refused.status_code == 400 and "项未填写检查结论" in refused.content.decode()
    assert not Record.objects.get(pk=draft.pk).locked
    check_matrix(client, world, f"/inspections/records/{draft.pk}/answer-remaining/",
                 {"other_region": 404, "housing": 404, "enterprise": 403, "anon": "login"}, method="post")
    client_as(client, world, "emergency")
    assert client.post(f"/inspections/records/{draft.pk}/answer-remaining/").status_code == 302
    assert client.post(f"/inspections/records/{draft.pk}/sign/").status_code == 302
    assert Record.objects.get(pk=draft.pk).locked
    # locked: edits refused with the reason, an addendum is accepted
    resp = client.post(url, {f"i{item.pk}-result": "na"})
    assert resp.status_code == 400 and "锁定" in resp.content.decode()
    assert client.post(f"/inspections/records/{draft.pk}/addendum/", {"text": "更正地点"}).status_code == 302
    assert client.post(f"/inspections/records/{draft.pk}/addendum/", {"text": ""}).status_code == 400
    check_matrix(client, world, f"/inspections/records/{draft.pk}/addendum/", {"enterprise": 403, "other_region": 404},
                 method="post", data={"text": "x"})


def test_new_record_form(client, world):
    client_as(client, world, "emergency")
    resp = client.post("/inspections/records/new/", {"enterprise": world.ent_commerce.pk, "kind": "routine",
                                                     "inspected_on": today().isoformat(),
                                                     "inspectors": [world.user("emergency").pk]})
    assert resp.status_code == 302
    resp = client.post("/inspections/records/new/", {"enterprise": world.ent_other_region.pk, "kind": "routine",
                                                     "inspected_on": today().isoformat()})
    assert resp.status_code == 404  # another region's unit: out of scope is not found


def test_planning_pages(client, world, data):
    check_matrix(client, world, f"/inspections/plans/{data['plan'].pk}/", DEPT_OWNED)
    check_matrix(client, world, f"/inspections/visits/{data['visit'].pk}/", DEPT_OWNED)
    check_matrix(client, world, "/inspections/plans/new/", {"emergency": 200, "commerce": 200, "committee": 403,
                                                            "township": 403, "enterprise": 403, "anon": "login"})
    check_matrix(client, world, f"/inspections/plans/{data['plan'].pk}/", {"emergency_lead": 302, "committee": 403, "commerce": 404},
                 method="post", data={"count": 1, "per_enterprise": 2, "reason": "重抽"})
    client_as(client, world, "emergency")
    assert client.post(f"/inspections/plans/{data['plan'].pk}/", {"count": 1, "per_enterprise": 2}).status_code == 400  # no reason
    assert client.post("/inspections/plans/new/", {"title": "", "year": 2026, "planned_count": 0}).status_code == 400
    check_matrix(client, world, "/inspections/visits/new/", WRITERS)
    client_as(client, world, "emergency")
    assert client.post("/inspections/visits/new/", {"kind": "help_township", "visited_on": today().isoformat(),
                                                   "content": "x"}).status_code == 400


def test_spot_check_page(client, world):
    url = f"/inspections/spot-checks/new/{world.ent_commerce.pk}/"
    check_matrix(client, world, url, {**SEE_ENT, "enterprise": 403})
    client_as(client, world, "commerce")
    resp = client.post(url, {"checked_on": today().isoformat(), "q2_3": "on", "no_agreement": "on"})
    assert resp.status_code == 302
    sc = world.ent_commerce.spot_checks.get()
    assert sc.q2_3 and sc.q2_7 and sc.q2_7_no_agreement
    assert client.post(url, {"checked_on": "bad"}).status_code == 400


def test_review_pages_and_report(client, world, data):
    batch = data["batch"]
    check_matrix(client, world, f"/inspections/reviews/{batch.pk}/", DEPT_OWNED)
    check_matrix(client, world, f"/inspections/reviews/{batch.pk}/report.docx", DEPT_OWNED)
    task = batch.tasks.get()
    client_as(client, world, "emergency")
    assert client.post(f"/inspections/reviews/{batch.pk}/", {"task": task.pk, "conclusion": "passed",
                                                            "note": "已整改"}).status_code == 403
    client_as(client, world, "emergency2")
    assert client.post(f"/inspections/reviews/{batch.pk}/", {"task": task.pk, "conclusion": "passed",
                                                            "note": ""}).status_code == 400
    assert client.post(f"/inspections/reviews/{batch.pk}/", {"task": task.pk, "conclusion": "passed",
                                                            "note": "已整改到位"}).status_code == 302
    text = docx_text(client.get(f"/inspections/reviews/{batch.pk}/report.docx").content)
    assert "整改复查意见书" in text and "整改到位" in text and data["item"].hazard.number in text


def _xlsx(rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "h.xlsx"
    return buf


def test_review_import(client, world, data):
    check_matrix(client, world, "/inspections/reviews/new/", WRITERS)
    client_as(client, world, "emergency")
    hazard = data["item"].hazard
    resp = client.post("/inspections/reviews/new/", {"title": "批次", "inspector": world.user("emergency").pk,
                                                     "file": _xlsx([["隐患编号"], [hazard.number]])})
    assert resp.status_code == 302
    assert ReviewBatch.objects.latest("pk").tasks.get().hazard == hazard
    resp = client.post("/inspections/reviews/new/", {"title": "批次", "inspector": world.user("emergency").pk,
                                                     "file": _xlsx([["隐患编号"], ["乱写"]])})
    assert resp.status_code == 400 and "file" in resp.context["form"].errors
    client_as(client, world, "commerce")  # hazard is in 商贸 → visible; other_region never
    client_as(client, world, "other_region")
    resp = client.post("/inspections/reviews/new/", {"title": "批次", "inspector": world.user("other_region").pk,
                                                     "file": _xlsx([[hazard.pk]])})
    assert resp.status_code == 400


def test_documents(client, world, data):
    rec, item = data["rec"], data["item"]
    client_as(client, world, "commerce")
    text = docx_text(client.get(f"/inspections/records/{rec.pk}/record.docx").content)
    assert "现场检查记录" in text and rec.enterprise.name in text and "存在隐患" in text and "已签名" in text
    text = docx_text(client.get(f"/inspections/records/{rec.pk}/orders/{item.pk}.docx").content)
    assert "责令限期整改指令书" in text and item.hazard.number in text and f"{item.deadline:%Y年%m月%d日}" in text
    assert client.get(f"/inspections/records/{data['draft'].pk}/orders/{item.pk}.docx").status_code == 404
