"""Permission matrix of the tip action endpoint start-verification (the handling unit only)."""

from core.testing import check_matrix
from tips import services


def test_start_verification_endpoint(client, world, submit):
    tip, _code = submit()
    services.accept(world.user("commerce"), tip, note="受理")
    url = f"/api/v1/tips/{tip.pk}/start-verification/"
    check_matrix(client, world, url, {
        "anon": (401, 403), "enterprise": 403, "agency": 403, "other_region": 404, "housing": 404,
    }, method="post", data={"note": "x"}, content_type="application/json")
    client.force_login(world.user("commerce"))
    response = client.post(url, {"note": "派员核查"}, content_type="application/json")
    assert response.status_code == 200, response.content
    tip.refresh_from_db()
    assert tip.status == "verifying"
