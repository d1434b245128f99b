"""Permission matrix of every registry page and endpoint (out of scope = 404, never 403)."""

import pytest

from core.testing import check_matrix
from enterprises.models import ImportJob

LOGGED_IN = ["committee", "emergency", "commerce", "housing", "township", "other_region", "enterprise", "agency",
             "nobody"]
REGISTRARS = {"committee": 200, "emergency": 200, "commerce": 200, "housing": 200, "township": 200,
              "other_region": 200, "admin": 200}
NOT_REGISTRARS = {"enterprise": 403, "enterprise_other": 403, "agency": 403, "nobody": 403, "anon": "login"}


@pytest.mark.parametrize("url", ["/enterprises/", "/enterprises/export.xlsx"])
def test_list_and_export_open_to_logged_in(client, world, url):
    opened = 302 if url.endswith(".xlsx") else 200  # the export is a job: its page, then the file
    check_matrix(client, world, url, {"anon": "login", **{p: opened for p in LOGGED_IN}})


def test_detail_commerce_enterprise(client, world, catalogue):
    check_matrix(client, world, f"/enterprises/{world.ent_commerce.pk}/", {
        "anon": "login", "committee": 200, "emergency": 200, "commerce": 200, "province": 200, "township": 200,
        "housing": 404, "township_other": 404, "other_region": 404, "enterprise": 200, "enterprise_safety": 200,
        "enterprise_other": 404, "agency": 404, "nobody": 404, "admin": 200})


def test_detail_construction_enterprise(client, world, catalogue):
    check_matrix(client, world, f"/enterprises/{world.ent_construction.pk}/", {
        "commerce": 404, "housing": 200, "enterprise": 404, "enterprise_other": 200, "other_region": 404})


def test_detail_agency_and_other_region(client, world, catalogue):
    check_matrix(client, world, f"/enterprises/{world.ent_hazchem.pk}/", {"agency": 200, "enterprise_gas_station": 200})
    check_matrix(client, world, f"/enterprises/{world.ent_other_region.pk}/", {"other_region": 200, "committee": 404,
                                                                                 "emergency": 404})
    check_matrix(client, world, "/enterprises/999999/", {"committee": 404, "admin": 404})


def test_edit_profile(client, world):
    check_matrix(client, world, f"/enterprises/{world.ent_commerce.pk}/edit/", {
        "anon": "login", "committee": 200, "emergency": 200, "commerce": 200, "township": 200, "housing": 404,
        "other_region": 404, "enterprise": 403, "enterprise_safety": 403, "enterprise_other": 404, "agency": 404,
        "nobody": 404})
    check_matrix(client, world, f"/enterprises/{world.ent_construction.pk}/edit/", {"commerce": 404, "housing": 200})


def test_edit_contacts(client, world):
    check_matrix(client, world, f"/enterprises/{world.ent_commerce.pk}/contacts/", {
        "anon": "login", "enterprise": 200, "enterprise_safety": 200, "committee": 200, "commerce": 200,
        "enterprise_other": 404, "other_region": 404, "agency": 404, "nobody": 404})


@pytest.mark.parametrize("url", ["/enterprises/new/", "/enterprises/import/", "/enterprises/import/template.xlsx"])
def test_create_and_import_only_for_government_writers(client, world, url):
    check_matrix(client, world, url, {**REGISTRARS, **NOT_REGISTRARS})


def test_post_create_refused_for_enterprise_users(client, world):
    check_matrix(client, world, "/enterprises/new/", {"enterprise": 403, "agency": 403, "nobody": 403},
                 method="post", data={"name": "x"})


def test_import_job_only_for_its_uploader(client, world):
    job = ImportJob.objects.create(created_by=world.user("emergency"), file="imports/x.csv", file_name="x.csv",
                                   status=ImportJob.Status.DONE)
    check_matrix(client, world, f"/enterprises/import/{job.pk}/", {
        "emergency": 200, "emergency2": 404, "committee": 404, "enterprise": 403, "anon": "login", "admin": 200})
    check_matrix(client, world, f"/enterprises/import/{job.pk}/run/", {"emergency2": 404, "enterprise": 403},
                 method="post")


def test_api_matrix(client, world, catalogue):
    check_matrix(client, world, "/api/v1/enterprises/", {"anon": (401, 403), **{p: 200 for p in LOGGED_IN}})
    check_matrix(client, world, f"/api/v1/enterprises/{world.ent_commerce.pk}/", {
        "anon": (401, 403), "committee": 200, "commerce": 200, "housing": 404, "other_region": 404,
        "enterprise": 200, "enterprise_other": 404, "agency": 404, "nobody": 404})
    check_matrix(client, world, f"/api/v1/enterprises/{world.ent_construction.pk}/", {"commerce": 404})
    check_matrix(client, world, "/api/v1/enterprises/", {
        "anon": (401, 403), "enterprise": 403, "agency": 403, "nobody": 403},
        method="post", data={"name": "x"}, content_type="application/json")
    check_matrix(client, world, f"/api/v1/enterprises/{world.ent_commerce.pk}/", {
        "enterprise": 403, "enterprise_other": 404, "other_region": 404, "agency": 404},
        method="patch", data={"name": "改名"}, content_type="application/json")
    check_matrix(client, world, f"/api/v1/enterprises/{world.ent_commerce.pk}/", {
        "enterprise": 403, "enterprise_other": 404, "housing": 404},
        method="delete")


def test_history_page_is_scoped_like_the_detail(client, world, catalogue):
    check_matrix(client, world, f"/enterprises/{world.ent_commerce.pk}/history/", {
        "anon": "login", "committee": 200, "commerce": 200, "township": 200, "housing": 404, "township_other": 404,
        "other_region": 404, "enterprise": 200, "enterprise_other": 404, "agency": 404, "nobody": 404, "admin": 200})
    check_matrix(client, world, f"/enterprises/{world.ent_other_region.pk}/history/", {"other_region": 200, "committee": 404})
    check_matrix(client, world, "/enterprises/999999/history/", {"admin": 404})
