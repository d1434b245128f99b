"""Framework refusals are Chinese pages, whoever reaches them and however."""

import pytest
from django.test import Client

from core.testing import client_as

CHINESE = ("页面不存在", "无权", "页面已过期", "系统暂时出错")


def assert_chinese_error(response, status, phrase):
    assert response.status_code == status
    body = response.content.decode()
    assert phrase in body
    for english in ("Not Found", "Forbidden", "CSRF verification failed", "Server Error", "The requested resource"):
        assert english not in body


def test_an_unknown_page_is_a_chinese_404(client, world):
    client_as(client, world, "committee")
    assert_chinese_error(client.get("/no-such-page/"), 404, "页面不存在")
    assert_chinese_error(client.get("/hazards/99999999/"), 404, "页面不存在或无权查看")


def test_a_refused_action_is_a_chinese_403(client, world):
    client_as(client, world, "commerce")  # a department may not edit competences (only the committee office)
    org = world.user("commerce").membership.organisation
    response = client.post(f"/accounts/organisations/{org.pk}/", {"sector": "", "role": "lead"})
    assert_chinese_error(response, 403, "无权进行此操作")


def test_an_expired_form_is_a_chinese_page_not_djangos_csrf_text(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("committee"))
    assert_chinese_error(client.post("/hazards/new/", {"description": "x"}), 403, "页面已过期")


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "500.html"])
def test_every_error_template_renders_without_a_request_context(template):
    """Django renders 500.html with an empty context; the others must survive that too."""
    from django.template.loader import render_to_string

    html = render_to_string(template)
    assert any(phrase in html for phrase in CHINESE + ("请求有误",))


def test_an_unknown_page_is_logged_once_in_development_too(client, world, settings):
    """With DEBUG on (make run) Django adds a console handler of its own to the "django" logger;
    the project's logging clears it, so a 404's warning reaches the console once, not twice."""
    import io
    import logging

    settings.DEBUG = True
    out = io.StringIO()
    handlers = []
    logger = logging.getLogger("django.request")
    while logger is not None:  # every handler a django.request record passes through
        handlers += [h for h in logger.handlers if type(h) is logging.StreamHandler]  # not pytest's capture
        logger = logger.parent if logger.propagate else None
    assert handlers
    before = [h.setStream(out) for h in handlers]
    try:
        client.get("/logged-once-please/")
    finally:
        for h, stream in zip(handlers, before):
            h.setStream(stream)
    assert out.getvalue().count("Not Found: /logged-once-please/") == 1


def test_a_refusal_s_403_page_says_why(client, world):
    client_as(client, world, "commerce")
    org = world.user("commerce").membership.organisation
    response = client.post(f"/accounts/organisations/{org.pk}/", {"sector": "", "role": "lead"})
    assert_chinese_error(response, 403, "无权进行此操作")
    assert '<p class="alert alert-warning" role="alert" data-testid="error-reason">只有安委办可以调整部门监管职责。</p>' \
        in response.content.decode()


def test_a_403_without_a_reason_shows_only_the_general_text():
    from django.template.loader import render_to_string

    html = render_to_string("403.html", {"exception": ""})
    assert "无权进行此操作" in html and 'data-testid="error-reason"' not in html


def test_every_403_a_project_view_raises_says_why():
    """A bare ``PermissionDenied`` shows the user only "无权进行此操作"; every refusal the project raises
    names its reason (the Django admin's own forms excepted)."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    skip = {".venv", "node_modules", "tests", "migrations", "bench", "staticfiles", "var", "__pycache__"}
    bare = re.compile(r"raise (?:\w+\.)?PermissionDenied(?:\(\s*\))?\s*(?:#.*)?$", re.M)
    found = sorted(f"{p.relative_to(root)}:{text[:m.start()].count(chr(10)) + 1}"
                   for p in root.rglob("*.py") if not skip.intersection(p.relative_to(root).parts)
                   and p.name != "admin.py" for text in [p.read_text(encoding="utf-8")] for m in bare.finditer(text))
    assert found == []


def test_the_api_keeps_the_reason_of_a_refusal_raised_by_shared_code():
    from django.core.exceptions import PermissionDenied

    from core.api import exception_handler

    response = exception_handler(PermissionDenied("只有本部门可以办理。"), {})
    assert response.status_code == 403
    assert (response.data["code"], response.data["message"]) == ("permission_denied", "只有本部门可以办理。")
    response = exception_handler(PermissionDenied(), {})  # none given: the general Chinese text
    assert response.status_code == 403 and response.data["message"] and "只有本部门" not in response.data["message"]


def test_no_page_answers_a_refusal_as_bare_text():
    """A refusal's reason is shown on a page (the 400 page, ``core.errors.bad_address``; the 403 page;
    the 503 page, ``core.errors.unavailable``; or the page the request came from), not as a bare text
    answer the browser shows unstyled."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    skip = {".venv", "node_modules", "tests", "migrations", "bench", "staticfiles", "var", "__pycache__"}
    bare = re.compile(r"HttpResponse(?:BadRequest|Forbidden)?\(\s*(?:f?\"[^\"]*\{)?(?:(?:exc|e|error)\.message|str\((?:exc|e|error)\))")
    found = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                   if not skip.intersection(p.relative_to(root).parts) and bare.search(p.read_text(encoding="utf-8")))
    assert found == []
