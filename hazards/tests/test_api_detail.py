"""The hazard as the detail page shows it, through the API: evidence upload (multipart only) and
download, timeline, acceptance history with reject reason, extensions, report departments, plan,
and the ledger export with the list's filters."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.testing import client_as

from .conftest import PLAN, png_bytes

pytestmark = pytest.mark.django_db
J = "application/json"


def test_upload_download_and_history(client, world, hazard, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = f"/api/v1/hazards/{hazard.pk}"
    client_as(client, world, "enterprise")
    assert client.post(f"{base}/attachments/", {"kind": "evidence"}, content_type=J).status_code == 400  # not multipart
    r = client.post(f"{base}/attachments/", {"evidence": SimpleUploadedFile("a.txt", b"hello"), "kind": "evidence"})
    assert r.status_code == 400 and "evidence" in r.json()["errors"]
    r = client.post(f"{base}/attachments/", {"evidence": SimpleUploadedFile("p.png", png_bytes()), "kind": "evidence"})
    assert r.status_code == 201, r.content
    att = r.json()
    download = client.get(att["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert [a["id"] for a in client.get(f"{base}/attachments/").json()] == [att["id"]]
    client.post(f"{base}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"}, content_type=J)
    client.post(f"{base}/actions/submit_completion/", {"evidence_note": "已整改"}, content_type=J)
    client_as(client, world, "commerce")
    client.post(f"{base}/actions/reject/", {"reason": "出口仍上锁", "next_steps": "拆除门锁"}, content_type=J)
    detail = client.get(f"{base}/").json()
    assert detail["plan"]["measures"] == PLAN["measures"]
    assert detail["last_acceptance"]["reason"] == "出口仍上锁" and detail["last_acceptance"]["next_steps"] == "拆除门锁"
    acceptances = client.get(f"{base}/acceptances/").json()
    assert [a["decision"] for a in acceptances] == ["rejected"]
    to_states = [e["to_state"] for e in client.get(f"{base}/timeline/").json()]
    assert to_states[-3:] == ["rectifying", "pending_acceptance", "rectifying"]
    assert client.get(f"{base}/extensions/").json() == []
    # out of scope: every sub-resource is 404 like the detail
    client_as(client, world, "other_region")
    for sub in ("timeline/", "acceptances/", "attachments/", f"attachments/{att['id']}/download/", "report-departments/"):
        assert client.get(f"{base}/{sub}").status_code == 404, sub


def test_report_departments_are_the_local_ones(client, world, hazard):
    client_as(client, world, "enterprise")
    names = {d["name"] for d in client.get(f"/api/v1/hazards/{hazard.pk}/report-departments/").json()}
    assert "河北区商务局" in names and not any(n.startswith("河东区") for n in names)


def test_ledger_export_uses_the_list_filters(client, world, hazard, construction_hazard):
    client_as(client, world, "emergency")
    r = client.get("/api/v1/hazards/export/?grade=major")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == hazard.number
    bad = client.get("/api/v1/hazards/export/?region=1x")
    assert bad.status_code == 400 and "region" in bad.json()["errors"]


def test_detail_answer_equals_drfs_own_field_construction(client, world, hazard):
    """The hazard detail (the answer of every hazard action) is built from fields prebuilt once per
    class (core.api.PrebuiltFieldsMixin, shallow copies): the same body DRF gives when it builds
    every field for the instance, with a plan and a decided acceptance in it."""
    from django.test import RequestFactory
    from rest_framework import serializers

    from hazards.api import HazardDetailSerializer
    from hazards.models import Hazard

    class Unbuilt(HazardDetailSerializer):
        def get_fields(self):
            return serializers.ModelSerializer.get_fields(self)

    base = f"/api/v1/hazards/{hazard.pk}"
    client_as(client, world, "enterprise")
    client.post(f"{base}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"}, content_type=J)
    client.post(f"{base}/actions/submit_completion/", {"evidence_note": "已整改"}, content_type=J)
    client_as(client, world, "commerce")
    answer = client.post(f"{base}/actions/reject/", {"reason": "出口仍上锁", "next_steps": "拆除门锁"}, content_type=J).json()
    assert answer["plan"] and answer["last_acceptance"]["decided_by_org_name"]
    for persona in ("commerce", "enterprise"):
        request = RequestFactory().get("/")
        request.user = world.user(persona)
        obj = Hazard.objects.select_related("enterprise", "sector", "reported_to", "plan").get(pk=hazard.pk)
        built = HazardDetailSerializer(obj, context={"request": request}).data
        assert built == Unbuilt(obj, context={"request": request}).data
        assert built["plan"] and built["last_acceptance"]
    assert answer == client.get(f"{base}/").json()
