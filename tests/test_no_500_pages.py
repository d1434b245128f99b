"""Every page URL pattern, fetched and posted with garbage by several personas, answers below 500."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from core.testing import client_as

PERSONAS = ["committee", "commerce", "township", "enterprise", "agency", "other_region", "anon"]
NUL_QUERY = ("?sector=%00&region=%00&township=%00&county=%00&unit=%00&code=%00&q=%00&status=%00&sort=%00&as_of=%00"
             "&week=%00&year=%00&grade=%00&kind=%00&enterprise=%00&page=%00&next=%00")
SKIP_PREFIXES = ("admin/", "api/", "accounts/logout", "static/")


def walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p, route)
        elif isinstance(p, URLPattern):
            yield route


def concrete(route: str, pk, text="x") -> str | None:
    if route.startswith(SKIP_PREFIXES) or "(?P" in route or route.startswith("^"):
        return None
    url = re.sub(r"<int:[^>]+>", str(pk), route)
    url = re.sub(r"<(slug|str|path):[^>]+>", text, url)
    url = re.sub(r"<[^>]+>", str(pk), url)
    return "/" + url


def test_every_page_survives_get_and_garbage_post(client, world):
    from accounts.models import Sector
    from hazards import services

    h = services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce,
                                 sector=Sector.objects.get(code="commerce"), description="灭火器失效", grade="general")
    routes = sorted(set(walk(get_resolver())))
    assert len(routes) > 80
    garbage = {"amount": "lots", "deadline": "2026-13-45", "grade": "huge", "enterprise": "x", "sector": "-1",
               "description": "<b>x</b>" * 100, "reason": "", "page": "abc", "captcha": "?", "campaign": "abc",
               "unit": "abc", "year": "二〇二六", "quarter": "x", "as_of": "昨天", "task": "²", "other_inspectors": "x"}
    # PostgreSQL cannot hold NUL in text: a code looked up with one is a form error or a 404, not a DataError
    nul_garbage = {key: "\x00" for key in ("sector", "region", "township", "county", "unit", "code", "enterprise", "q",
                                             "description", "reason", "kind", "week", "username", "password",
                                             # read from request.POST without a form
                                             "campaign", "note", "statement", "remarks", "year", "quarter", "as_of",
                                             "task", "form", "captcha", "confirm_duplicate", "other_inspectors",
                                             "row_1", "row_2")}
    client.raise_request_exception = False  # every failing request is listed, not only the first
    failures, seen = [], {}
    for persona in PERSONAS:
        client_as(client, world, persona)
        for route in routes:
            for pk, text in ((h.pk, "x"), (999999, "x"), (h.pk, "%00")):
                url = concrete(route, pk, text)
                if url is None:
                    break
                if text == "%00" and "<" not in route:
                    continue
                for response in (client.get(url + "?page=abc&status=bogus&sort=nope"), client.get(url + NUL_QUERY),
                                 client.post(url, garbage), client.post(url, nul_garbage)):
                    seen[response.status_code] = seen.get(response.status_code, 0) + 1
                    if response.status_code >= 500:
                        failures.append((persona, url, response.request["REQUEST_METHOD"], response.status_code))
                if "<" not in route:
                    break
    assert not failures, "\n".join(map(str, failures[:80]))
    assert seen.get(200, 0) > 100 and seen.get(404, 0) > 50, seen
