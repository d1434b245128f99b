"""Permission matrix of every hazard page, endpoint and file download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import check_matrix
from hazards.evidence import add_attachment, check_upload

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

ALL = ["committee", "emergency", "commerce", "commerce_lead", "housing", "township", "township_other", "other_region",
       "enterprise", "enterprise_safety", "enterprise_other", "agency", "nobody", "anon"]


def test_ledger_export_and_register_pages(client, world):
    everyone = {p: 200 for p in ALL} | {"anon": "login"}
    check_matrix(client, world, "/hazards/", everyone)
    check_matrix(client, world, "/hazards/export.xlsx", {p: 302 for p in ALL} | {"anon": "login"})  # → its job page
    check_matrix(client, world, "/hazards/new/", {p: 200 for p in ALL} | {"anon": "login", "nobody": 403})
    check_matrix(client, world, "/hazards/import/", {
        "committee": 200, "emergency": 200, "commerce": 200, "township": 200, "other_region": 200,
        "enterprise": 403, "agency": 403, "nobody": 403, "anon": "login"})


def test_detail_of_a_commerce_hazard(client, world, hazard):
    check_matrix(client, world, f"/hazards/{hazard.pk}/", {
        "committee": 200, "emergency": 200, "commerce": 200, "township": 200, "enterprise": 200,
        "enterprise_safety": 200, "housing": 404, "township_other": 404, "other_region": 404,
        "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": "login"})


def test_commerce_bureau_cannot_see_a_construction_hazard(client, world, construction_hazard):
    check_matrix(client, world, f"/hazards/{construction_hazard.pk}/", {
        "commerce": 404, "commerce_lead": 404, "housing": 200, "emergency": 200, "enterprise_other": 200,
        "enterprise": 404, "other_region": 404})
    check_matrix(client, world, f"/hazards/{construction_hazard.pk}/actions/void/", {
        "commerce": 404, "other_region": 404, "enterprise": 404, "anon": "login"},
        method="post", data={"void-reason": "x"})


def test_action_and_upload_posts(client, world, hazard):
    # out of scope is 404; in scope but not allowed gets the refusal on the form (4xx), nothing changes
    check_matrix(client, world, f"/hazards/{hazard.pk}/actions/void/", {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": "login",
        "enterprise": 400}, method="post", data={"void-reason": "重复"})
    hazard.refresh_from_db()
    assert hazard.status == "registered"
    check_matrix(client, world, f"/hazards/{hazard.pk}/attachments/", {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": "login",
        "enterprise": 400, "commerce": 400}, method="post", data={})
    check_matrix(client, world, f"/hazards/{hazard.pk}/actions/void/", {"commerce": 302}, method="post",
                 data={"void-reason": "重复"})


def test_attachment_download(client, world, hazard):
    att = add_attachment(world.user("enterprise"), hazard, check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES)),
                         original_name="a.pdf")
    check_matrix(client, world, f"/hazards/{hazard.pk}/attachments/{att.pk}/", {
        "committee": 200, "commerce": 200, "enterprise": 200, "township": 200, "housing": 404, "township_other": 404,
        "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": "login"})
    check_matrix(client, world, f"/hazards/{hazard.pk}/attachments/{att.pk + 1}/", {"commerce": 404})


def test_api_matrix(client, world, hazard, construction_hazard):
    check_matrix(client, world, "/api/v1/hazards/", {p: 200 for p in ALL} | {"anon": (401, 403)})
    check_matrix(client, world, f"/api/v1/hazards/{hazard.pk}/", {
        "committee": 200, "commerce": 200, "enterprise": 200, "township": 200, "housing": 404, "township_other": 404,
        "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": (401, 403)})
    check_matrix(client, world, f"/api/v1/hazards/{construction_hazard.pk}/", {"commerce": 404, "housing": 200})
    check_matrix(client, world, f"/api/v1/hazards/{hazard.pk}/actions/void/", {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404,
        "anon": (401, 403), "enterprise": 400}, method="post", data={"reason": "x"}, content_type="application/json")
