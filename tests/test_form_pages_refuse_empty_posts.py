"""Every form of the app, posted empty by a user who is shown it, is refused with a 4xx — never a
200 with the form's errors, never a 5xx — and a 400 shows the reason in Chinese on the page
(PRODUCT.md: bad input gets a 4xx with the field and the reason in Chinese).

The forms are found as a user finds them: each persona walks the site from the home page and every
page URL pattern without parameters (``django.urls.get_resolver()``), following the links of the
pages it may open through the demo data (one concrete URL per pattern and persona), and collects
every ``<form method="post">`` (and ``hx-post``) those pages show. Each form's target — one per URL
pattern and fixed word in it (``…/act/<action>/``) — is posted an empty body once, by the first
persona shown it. The walk has to reach the forms: a floor on how many targets it posted catches a
walk that silently found nothing (a page that stopped linking, a persona that lost its pages)."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django import forms as django_forms
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from core import demo
from core.testing import client_as

# the role personas first (what each of them is shown), the superuser last (what nobody else is)
PERSONAS = ["committee", "committee_lead", "emergency", "emergency_lead", "commerce", "housing", "township",
            "enterprise", "enterprise_other", "enterprise_gas_station", "agency", "admin", "anon"]
SKIP_PATHS = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout/")
#: links not followed: files, exports and downloads (they queue jobs or stream bytes, no forms)
NOT_PAGES = re.compile(r"export|download|\.(xlsx|docx|pdf|png|jpe?g|csv|zip|mp4)(\?|$)|[?&]format=", re.I)
#: answers an empty POST may get besides 400: not permitted, not found (out of scope or a step that
#: is not the record's), method not allowed, a stale state, a rate limit
REFUSALS = {403, 404, 405, 409, 429}
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_TARGETS = 80  # the walk reaches at least this many distinct form targets (it finds ~100)


class Page(HTMLParser):
    """The links and the POST forms of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("hx-post") is not None:
            self.forms.append({"action": a["hx-post"], "required": False, "hx": True})
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "required": False, "hx": False}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None and "required" in a \
                and a.get("type") != "hidden":
            self._form["required"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parameterless_routes(resolver, prefix=""):
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from parameterless_routes(p, route)
        elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route and not route.startswith("^"):
            yield "/" + route


def pattern_key(path: str):
    """One concrete URL per pattern — and per fixed word in it (``act/<action>``, ``<what>``): the
    route and the URL's string arguments, never its ids."""
    match = resolve(path)
    words = tuple(sorted((k, v) for k, v in match.kwargs.items() if isinstance(v, str)))
    return match.route, words


def local(url: str, base: str) -> str | None:
    """``url`` (as written in ``base``'s page) as a path of this site worth opening, else None."""
    url = html.unescape(url).strip()
    if not url or url.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    parts = urlsplit(urljoin(base, url))
    if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PATHS):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def contexts(response) -> list:
    found = response.context
    return [] if found is None else list(found) if isinstance(found, ContextList) else [found]


def shown_forms(value, depth: int = 0):
    """The forms and formsets in a context value (directly, or in a list, tuple or dict of them)."""
    if isinstance(value, (django_forms.BaseForm, django_forms.BaseFormSet)):
        yield value
    elif depth < 3 and isinstance(value, (list, tuple)):
        for item in value:
            yield from shown_forms(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from shown_forms(item, depth + 1)


def form_errors(response) -> list[tuple[str, str]]:
    """(field, message) of every bound form or formset with errors the page was rendered with."""
    out, seen = [], set()
    for ctx in contexts(response):
        for form in shown_forms(ctx.flatten()):
            if id(form) in seen or not form.is_bound or form.is_valid():
                continue
            seen.add(id(form))
            if isinstance(form, django_forms.BaseFormSet):
                out += [("__all__", str(e)) for e in form.non_form_errors()]
                subforms = form.forms
            else:
                subforms = [form]
            for f in subforms:
                out += [(name, str(e)) for name, errs in f.errors.items() for e in errs]
    return out


def shown_reasons(response) -> list[str]:
    """The reasons of a refused POST the page shows: its forms' errors, or the refusal it names."""
    reasons = [message for _, message in form_errors(response)]
    for ctx in contexts(response):
        for key in ("error", "upload_error", "reason", "exception"):  # a page's refusal; the 400 / 403 page's reason
            value = ctx.get(key)
            if value:
                reasons.append(str(getattr(value, "message", value)))
    body = response.content.decode()
    if response.context is None:  # a plain answer (text/plain, no template): its body is the reason
        return [body] if CJK.search(body) else []
    for ctx in contexts(response):  # a refusal told in a message of the page (django.contrib.messages)
        reasons += [str(m) for m in ctx.get("messages") or []] if "messages" in ctx else []
    return [r for r in reasons if CJK.search(r) and html.escape(r) in body]


def walk_pages(client, world, personas):
    """(persona, url, response, page) for every HTML page each persona opens: from the home page and every
    page URL pattern without parameters, following the links of each page, one page per URL pattern (and
    fixed word). The client is signed in as the persona while its pages are yielded."""
    roots = sorted(set(parameterless_routes(get_resolver())))
    for persona in personas:
        client_as(client, world, persona)
        opened: set = set()
        queue = ["/"] + [r for r in roots if not r.startswith(SKIP_PATHS) and not NOT_PAGES.search(r)]
        while queue:
            url = queue.pop(0)
            try:
                key = pattern_key(url.split("?")[0])
            except Resolver404:
                continue
            if key in opened:
                continue
            opened.add(key)
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = Page()
            page.feed(response.content.decode())
            for href in page.links:
                target = local(href, url)
                if target and not NOT_PAGES.search(target):
                    queue.append(target)
            yield persona, url, response, page


def walk_and_post(client, world) -> tuple[dict, list]:
    """(answers, failures): the status of each form target's empty POST, and what went wrong."""
    posted: dict = {}
    failures: list = []
    for persona, url, _, page in walk_pages(client, world, PERSONAS):
        for form in page.forms:
            target = local(form["action"], url) if form["action"] else url
            if target is None:
                continue
            try:
                target_key = pattern_key(target.split("?")[0])
            except Resolver404:
                failures.append((persona, url, target, "the form posts to no URL of the app"))
                continue
            if target_key in posted:
                continue
            answer = client.post(target, {}, **({"HTTP_HX_REQUEST": "true"} if form["hx"] else {}))
            posted[target_key] = (persona, target, answer.status_code)
            problem = judge(answer, form)
            if problem:
                failures.append((persona, url, target, answer.status_code, problem))
            if persona != "anon" and not client.session.get("_auth_user_id"):
                client_as(client, world, persona)  # the POST signed the persona out: back in
    return posted, failures


def judge(answer, form) -> str | None:
    """What is wrong with the answer to an empty POST of ``form``, or None."""
    status = answer.status_code
    if status >= 500:
        return "a server error"
    if status == 200:  # only a form with nothing to fill in (a button: 查看举报人身份) may answer 200
        errors = form_errors(answer)
        if errors:
            return f"200 with the form's errors {errors[:3]}"
        return "200 to an empty POST of a form with required fields (no refusal)" if form["required"] else None
    if status == 400:
        if not shown_reasons(answer):
            return f"400 without a reason in Chinese on the page (form errors: {form_errors(answer)[:3]})"
        return None
    if status in REFUSALS:
        return None
    if 300 <= status < 400:  # accepted: only a form with nothing to fill in may take an empty POST
        return "an empty POST of a form with required fields was accepted" if form["required"] else None
    return f"unexpected status {status}"


@pytest.mark.slow
@pytest.mark.timeout(1200)  # ~3 minutes alone on SQLite: 13 personas walk the site
def test_every_form_refuses_an_empty_post_with_a_4xx_and_a_chinese_reason(client, world):
    demo.load_apps(world.ctx)  # the demo's records, on the world's units and people: pages to open
    posted, failures = walk_and_post(client, world)
    assert not failures, "\n".join(map(str, failures))
    assert len(posted) >= MIN_TARGETS, sorted(str(k) for k in posted)
    statuses = {status for _, _, status in posted.values()}
    assert 400 in statuses, statuses
