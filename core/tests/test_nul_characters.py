"""A NUL character in a request is a 400 or a 404 with its reason, never a 500. No code, id or text of
this project holds one, and PostgreSQL cannot even compare text with one (``DataError``: CI's API contract
run found ``"sector": "…\\u0000"`` in a hazard of a principal-led check answering 500). The address (path,
query) is refused by ``core.middleware.NulRefusalMiddleware``; a body's code by ``core.api.CodeRelatedField``;
a body's text is cleaned (``core.text.clean_text``). The expected texts are written out here."""

import ast
import pathlib

from django.conf import settings

from core.testing import client_as

REASON = "不能含有空字符（\\0）"


def test_an_api_query_parameter_with_a_nul_is_a_400_naming_it(client, world):
    client_as(client, world, "commerce")
    r = client.get("/api/v1/enterprises/?status=operating&sector=comm%00erce")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid" and body["errors"] == {"sector": [REASON]}
    assert body["message"] == f"请求地址有误：sector{REASON}。"
    assert client.get("/api/v1/enterprises/?sector=commerce").status_code == 200  # without it: answered


def test_a_page_address_with_a_nul_is_the_400_page_with_the_reason(client, world):
    client_as(client, world, "committee")
    r = client.get("/campaigns/dispatch/?unit=%00")
    assert r.status_code == 400 and r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert f"请求地址有误：unit{REASON}。" in html and 'data-testid="error-page"' in html
    assert "Content-Security-Policy" in r  # the site's headers, as on every page
    path = client.get("/enforcement/credit/%00/")
    assert path.status_code == 400 and f"请求地址有误：地址{REASON}。" in path.content.decode()
    assert client.get("/campaigns/dispatch/").status_code == 200


def test_a_nul_in_a_parameter_name_is_refused_too(client, world):
    client_as(client, world, "commerce")
    r = client.get("/api/v1/hazards/?st%00atus=open")
    assert r.status_code == 400 and r.json()["errors"] == {"status": [REASON]}


def test_a_sector_code_with_a_nul_in_a_body_is_a_400_on_the_field(client, world):
    client_as(client, world, "commerce")
    r = client.post("/api/v1/hazards/", {"enterprise": world.ent_commerce.pk, "sector": "commerce\x00",
                                         "description": "灭火器失效", "grade": "general"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"] == {"sector": [REASON]}
    r = client.post("/api/v1/obligations/checks/", {"enterprise": world.ent_commerce.pk, "kind": "study", "held_on": "2026-01-05",
                                                    "participants": 3, "hazards": [{"sector": "\x00"}]},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"]["hazards.0.sector"] == [REASON]


def test_a_sector_list_with_a_nul_code_is_a_400_on_the_field(client, world):
    client_as(client, world, "commerce")
    r = client.post("/api/v1/enterprises/", {"name": "某某商贸有限公司", "credit_code": "91120105MA05XXXX1K",
                                             "region": world.ent_commerce.region.code, "sectors": ["commerce", "\x00"]},
                    content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"]["sectors"] == [REASON]


def test_a_login_name_with_a_nul_is_a_form_error(client, world):
    r = client.post("/accounts/login/", {"username": "commerce\x00", "password": "x"})
    assert r.status_code in (200, 400) and 'name="username"' in r.content.decode()


def test_every_writable_code_reference_of_the_api_refuses_a_nul():
    """A plain SlugRelatedField that is written to would look a NUL up (a DataError on PostgreSQL):
    every writable one is a CodeRelatedField; read-only ones only render."""
    offenders = []
    for path in pathlib.Path(settings.BASE_DIR).glob("*/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                    and getattr(node.func, "attr", getattr(node.func, "id", "")) == "SlugRelatedField"
                    and not any(k.arg == "read_only" and getattr(k.value, "value", False) is True for k in node.keywords)):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert not offenders, offenders
