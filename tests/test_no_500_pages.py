"""Every page URL pattern, fetched and posted with garbage by several personas, answers below 500."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from core.testing import client_as

PERSONAS = ["committee", "commerce", "township", "enterprise", "agency", "other_region", "anon"]
SKIP_PREFIXES = ("admin/", "api/", "accounts/logout", "static/")


def walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p, route)
        elif isinstance(p, URLPattern):
            yield route


def concrete(route: str, pk) -> str | None:
    if route.startswith(SKIP_PREFIXES) or "(?P" in route or route.startswith("^"):
        return None
    url = re.sub(r"<int:[^>]+>", str(pk), route)
    url = re.sub(r"<(slug|str|path):[^>]+>", "x", url)
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
               "description": "<b>x</b>" * 100, "reason": "", "page": "abc", "captcha": "?"}
    failures, seen = [], {}
    for persona in PERSONAS:
        client_as(client, world, persona)
        for route in routes:
            for pk in (h.pk, 999999):
                url = concrete(route, pk)
                if url is None:
                    break
                for response in (client.get(url + "?page=abc&status=bogus&sort=nope"), client.post(url, garbage)):
                    seen[response.status_code] = seen.get(response.status_code, 0) + 1
                    if response.status_code >= 500:
                        failures.append((persona, url, response.request["REQUEST_METHOD"], response.status_code))
                if "<" not in route:
                    break
    assert not failures, failures[:20]
    assert seen.get(200, 0) > 100 and seen.get(404, 0) > 50, seen
