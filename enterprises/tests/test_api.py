"""/api/v1/enterprises/: filters, create / update through services, 400 with field and reason."""

from enterprises.models import Enterprise
from enterprises.validators import make_credit_code


def payload(world, **kw):
    data = {"name": "接口登记测试有限公司", "credit_code": make_credit_code("91120105MG0000001").lower(),
            "region": world.townships[2].code, "sectors": ["commerce"], "longitude": "117.2", "latitude": "39.15",
            "safety_managers": [{"name": "安全员乙", "phone": "13700000001"}]}
    data.update(kw)
    return data


def test_list_uses_the_same_filters(client, world):
    client.force_login(world.user("committee"))
    data = client.get("/api/v1/enterprises/?sector=commerce&high_risk=false").json()
    assert data["count"] == Enterprise.objects.filter(county_code="120105", sectors__code="commerce",
                                                      high_risk=False).count()
    assert client.get(f"/api/v1/enterprises/?region={world.townships[0].code}").json()["count"] >= 1
    assert client.get("/api/v1/enterprises/?q=鑫隆").json()["count"] == 1
    bad = client.get("/api/v1/enterprises/?region=abc")
    assert bad.status_code == 400 and "region" in bad.json()["errors"]


def etag(client, pk):
    """PATCH needs If-Match: the ETag of the detail as last read."""
    return client.get(f"/api/v1/enterprises/{pk}/")["ETag"]


def test_create_update_close(client, world):
    client.force_login(world.user("commerce"))
    response = client.post("/api/v1/enterprises/", payload(world), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["credit_code"] == make_credit_code("91120105MG0000001") and body["safety_managers"][0]["name"] == "安全员乙"
    pk = body["id"]
    response = client.patch(f"/api/v1/enterprises/{pk}/", {"employees": 40, "status": "operating"},
                            content_type="application/json", HTTP_IF_MATCH=etag(client, pk))
    assert response.status_code == 200 and response.json()["employees"] == 40  # the same status may be repeated
    # 停产整顿 is an enforcement decision, not a profile edit (test_status_law.py)
    response = client.patch(f"/api/v1/enterprises/{pk}/", {"status": "suspended"},
                            content_type="application/json", HTTP_IF_MATCH=etag(client, pk))
    assert response.status_code == 400 and "status" in response.json()["errors"]
    # 关闭 needs an approver (the bureau's officer is refused, its 科长 closes with a reason)
    assert client.delete(f"/api/v1/enterprises/{pk}/", {"reason": "已注销营业执照"},
                         content_type="application/json").status_code == 403
    client.force_login(world.user("commerce_lead"))
    assert client.delete(f"/api/v1/enterprises/{pk}/", {"reason": "已注销营业执照"},
                         content_type="application/json").status_code == 204
    assert Enterprise.objects.get(pk=pk).status == "closed"


def test_bad_input_is_400_with_field(client, world):
    client.force_login(world.user("commerce"))
    cases = [
        ({"credit_code": "91120105MG00000010"}, "credit_code"),
        ({"region": "120105"}, "region"),  # a county in scope, not a township (out of scope: test_api_scope_ids)
        ({"region": "abc"}, "region"),
        ({"sectors": []}, "sectors"),
        ({"sectors": ["spaceflight"]}, "sectors"),
        ({"sectors": ["construction"]}, "sectors"),  # outside the commerce bureau's competence
        ({"longitude": "2.35", "latitude": "48.85"}, "longitude"),
        ({"name": ""}, "name"),
        ({"employees": -1}, "employees"),
        ({"credit_code": world.ent_commerce.credit_code}, "credit_code"),
    ]
    for overrides, field in cases:
        response = client.post("/api/v1/enterprises/", payload(world, **overrides), content_type="application/json")
        assert response.status_code == 400 and field in response.json()["errors"], (overrides, response.content)


def test_enterprise_user_patches_only_contacts(client, world):
    client.force_login(world.user("enterprise"))
    url = f"/api/v1/enterprises/{world.ent_commerce.pk}/"
    pk = world.ent_commerce.pk
    response = client.patch(url, {"principal_phone": "13812345678"}, content_type="application/json",
                            HTTP_IF_MATCH=etag(client, pk))
    assert response.status_code == 200 and response.json()["principal_phone"] == "13812345678"
    assert client.patch(url, {"employees": 1}, content_type="application/json",
                        HTTP_IF_MATCH=etag(client, pk)).status_code == 403
    assert client.patch(url, {"credit_code": "x"}, content_type="application/json",
                        HTTP_IF_MATCH=etag(client, pk)).status_code == 400
