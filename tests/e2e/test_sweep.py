"""Browser sweep: every page every demo persona can reach — its menu, its home, every list, the
first detail of every list and the forms they lead to — at 1366 px and 390 px wide.

A page fails when
* the document is wider than the window (horizontal overflow, ``scrollWidth > innerWidth + 1``);
* its visible text holds a raw identifier or an English word, or a value the server wrote into a text box
  holds a raw identifier (tests/e2e/sweep_rules.py, with the short allow-list documented there);
* it is not the home page and has no breadcrumbs;
* a heading in ``main`` holds a form control (a field rendered where a card's title belonged);
* a table cell or description holds only a date written 年月日 (tables and fields write 2026-12-16);
* a date in its text (2026-12-16, 2026-12-16 09:30) is broken over two lines;
* it answers with an error status although the persona reached it by a link the app showed.

Every persona of the demo (core.demo.load_demo: 19 logins) sweeps its navbar, home and every list
itself; the details and forms below the lists are swept once per group of personas with the same
kind of unit and role (they render the same templates). Links that download files are skipped.
Pages another lane is rebuilding (PENDING_ELSEWHERE) are reported but do not fail.

One live server, one browser, one page per persona, nothing in parallel. With
``QINGLING_SCREENSHOTS=1`` it also rewrites the curated gallery in docs/screenshots/ (JPEG, q50);
otherwise it writes nothing into the repository.
"""

import os
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.session import log_in
from tests.e2e.sweep_rules import identifiers, long_dates, problems

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
MAX_DEPTH = 3  # menu/home → lists → first detail, forms → the objects a detail refers to
MAX_PAGES_PER_PERSONA = 150
SKIP = re.compile(r"^/(admin|api|static|media|accounts/logout)|\.(xlsx|pdf|docx|csv|json|zip|png|jpe?g|geojson)$"
                  r"|/(export|download|document|file|files|attachment|print|pdf|docx|xlsx)(/|\.|$)|/evidence/\d+/?$")
# Pages another lane is rewriting at the same time: their findings are printed, not failed on.
# Remove an entry once that work is merged (the sweep then covers the page like any other).
PENDING_ELSEWHERE: dict[str, str] = {}
GALLERY = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
#: the demo's login names (core.demo: filled by the test from its logins)
LOGIN_NAMES: set[str] = set()
# (file stem, persona, URL shape as the sweep writes it) — the curated subset saved to the gallery
SHOTS = [
    ("01-home-committee", "hb_anweiban", "/"),
    ("02-home-enterprise", "qy_xinlong", "/"),
    ("03-hazard-list", "hb_shangwu", "/hazards/"),
    ("04-hazard-detail", "hb_shangwu", "/hazards/N/"),
    ("05-hazard-new", "qy_xinlong", "/hazards/new/"),
    ("06-supervision", "hb_anweiban", "/supervision/"),
    ("07-inspection-list", "hb_yingji", "/inspections/"),
    ("08-inspection-record", "hb_yingji", "/inspections/records/N/"),
    ("09-enforcement-case", "hb_yingji", "/enforcement/cases/N/"),
    ("10-tips", "hb_anweiban", "/tips/"),
    ("11-tip-detail", "hb_anweiban", "/tips/N/"),
    ("12-accidents", "hb_anweiban", "/accidents/"),
    ("13-campaigns", "hb_anweiban", "/campaigns/"),
    ("14-enterprise-detail", "hb_anweiban", "/enterprises/N/"),
    ("15-obligations", "qy_xinlong", "/obligations/"),
    ("16-standards", "hb_yingji", "/standards/"),
]


@pytest.fixture
def demo(transactional_db):
    from core.demo import load_demo
    from regions.loader import TEST_FILE, load_regions
    from regions.models import Region

    if not Region.objects.filter(code="120105").exists():
        load_regions(TEST_FILE)
    return load_demo()


def shape(url: str) -> str:
    """/hazards/12/?status=x → /hazards/N/?status : one page per kind of page, not per row."""
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query) if k not in ("page", "sort", "o")})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


LINKS_JS = """(scope) => Array.from(document.querySelectorAll(scope)).map(a => a.getAttribute('href'))"""
TEXT_JS = """() => {
  const parts = [];
  for (const el of document.querySelectorAll('main, [data-testid=menu], nav.qingling-nav')) parts.push(el.innerText);
  for (const el of document.querySelectorAll('main [placeholder]')) parts.push(el.getAttribute('placeholder'));
  for (const el of document.querySelectorAll('main [title]')) parts.push(el.getAttribute('title'));
  parts.push(document.title);
  // what the server wrote into a box (the user did not type it): checked for raw identifiers only
  const boxes = [];
  for (const el of document.querySelectorAll('main textarea, main input:not([type]), main input[type=text], main input[type=search], main input[type=number]'))
    if (el.defaultValue) boxes.push(el.defaultValue);
  return [parts.join('\\n'), boxes.join('\\n')];
}"""
# every date written in main's text (2026-12-16, 2026-12-16 09:30) measured where it stands: more than one
# line box is a date broken at its hyphen or before its time
BROKEN_DATES_JS = """() => {
  const broken = [], walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || node.parentElement.closest('option, script, style, textarea')) continue;
    for (const m of node.textContent.matchAll(/\\d{4}-\\d{2}-\\d{2}(?: \\d{2}:\\d{2})?/g)) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""
WIDTH_JS = """() => new Promise(done => requestAnimationFrame(() => {
  const scroll = document.documentElement.scrollWidth, inner = window.innerWidth;
  if (scroll <= inner + 1) { done([scroll, inner, []]); return; }
  const wide = Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > inner + 1);
  done([scroll, inner, wide.slice(-3).map(e => e.tagName.toLowerCase() + '.' + String(e.className || '').split(' ').join('.')
        + ' «' + (e.innerText || '').replace(/\\s+/g, ' ').slice(0, 30) + '»')]);
}))"""


def _internal(href: str | None, base: str) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    if href.startswith(base):
        href = href[len(base):]
    if not href.startswith("/") or href.startswith("//"):
        return None
    href = href.split("#")[0]
    return None if SKIP.search(urlsplit(href).path) else href


def check_page(page, url, findings, persona, shots):
    """Load ``url``, check it at every width; return the links of its main content."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    try:
        response = page.goto(url, wait_until="load")
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):  # a file, not a page
            return []
        raise
    status = response.status if response else 0
    where = f"{persona} {url}"
    if status >= 400:
        findings.append(f"{where}: HTTP {status}")
        return []
    path = urlsplit(page.url).path
    if path != "/" and not path.startswith("/accounts/login") and page.locator("[data-testid=breadcrumbs]").count() == 0:
        findings.append(f"{where}: no breadcrumbs")
    # a heading is text: a form control inside one stood in for its title (the case page's 公布典型案例 card
    # was headed by its own 标题 box — the template read form.title as the form's field of that name)
    if page.locator("main :is(h1, h2, h3, h4, h5, h6) :is(input, select, textarea)").count():
        findings.append(f"{where}: a heading holds a form control")
    for cell in long_dates(page.locator("main :is(td, dd)").all_inner_texts()):
        findings.append(f"{where}: a date in a table written 年月日 «{cell}» (tables write 2026-12-16)")
    seen_words = set()
    for width in WIDTHS:
        if width != WIDTHS[0]:
            page.set_viewport_size({"width": width, "height": 844})
        scroll, inner, culprits = page.evaluate(WIDTH_JS)
        for broken in page.evaluate(BROKEN_DATES_JS):
            findings.append(f"{where} @{width}px: a date broken over two lines «{broken}»")
        if scroll > inner + 1:
            findings.append(f"{where} @{width}px: overflows by {scroll - inner}px ({'; '.join(culprits)})")
        # login names (the persona's own on its profile, its colleagues' on the account pages) are what
        # people type to log in, not identifiers: longest first, so that "hb_anweiban_lead" goes whole
        text, boxes = page.evaluate(TEXT_JS)
        for name in sorted({persona, *LOGIN_NAMES}, key=len, reverse=True):
            text, boxes = text.replace(name, ""), boxes.replace(name, "")
        for kind, token in problems(text) + [(kind, f"{token}（输入框中）") for kind, token in identifiers(boxes)]:
            if (kind, token) not in seen_words:
                seen_words.add((kind, token))
                findings.append(f"{where} @{width}px: {kind} «{token}»")
        for stem, who, want in shots:
            if who == persona and want == shape(url):
                GALLERY.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(GALLERY / f"{stem}-{width}.jpg"), type="jpeg", quality=50)
    return page.evaluate(LINKS_JS, "main a[href]")


def _group(user):
    """Personas of the same kind of unit and role share the pages below their lists."""
    membership = getattr(user, "membership", None)
    return ("superuser",) if user.is_superuser else (membership.organisation.kind, membership.role)


def sweep_persona(page, base, persona, findings, shots, counter, group_seen):
    """Home, menu and every list as this persona; the details and forms below them once per group
    (personas of the same kind of unit and role see the same templates, with their own rows)."""
    log_in(page, base, persona, fresh=True)
    first = [_internal(h, base) for h in page.evaluate(LINKS_JS, "nav.qingling-nav a[href], main a[href]")]
    queue = [("/", 0)] + [(u, 1) for u in first if u]
    seen: set[str] = set()
    visited = 0
    while queue and visited < MAX_PAGES_PER_PERSONA:
        url, depth = queue.pop(0)
        key = shape(url)
        if key in seen or (depth >= 2 and key in group_seen):
            continue
        seen.add(key)
        if depth >= 2:
            group_seen.add(key)
        links = check_page(page, base + url, findings, persona, shots)
        visited += 1
        counter.append((persona, url))
        with open("/tmp/qingling-sweep-progress.txt", "a") as f:
            f.write(f"{time.strftime('%H:%M:%S')} {persona} {url}\n")
        if depth < MAX_DEPTH:
            queue.extend((u, depth + 1) for u in (_internal(h, base) for h in links) if u and shape(u) not in seen)
    if queue and visited >= MAX_PAGES_PER_PERSONA:
        findings.append(f"{persona}: more than {MAX_PAGES_PER_PERSONA} kinds of page, sweep cut short")


@pytest.mark.timeout(1200)
def test_every_page_of_every_persona_is_chinese_and_fits_a_phone(page, live_server, demo):
    shots = SHOTS if os.environ.get("QINGLING_SCREENSHOTS") == "1" else []
    personas = [username for username, *_rest in demo["logins"]]
    LOGIN_NAMES.update(personas)
    if os.environ.get("SWEEP_PERSONAS"):  # debugging: only these (comma-separated usernames)
        personas = [p for p in personas if p in os.environ["SWEEP_PERSONAS"].split(",")]
    groups = {p: _group(demo["users"][p]) for p in personas}
    shared: dict = {}
    findings: list[str] = []
    visited: list[tuple[str, str]] = []
    started = time.monotonic()
    for persona in personas:
        with open("/tmp/qingling-sweep-progress.txt", "a") as f:
            f.write(f"{time.monotonic() - started:.0f}s {persona} {len(visited)}\n")
        sweep_persona(page, live_server.url, persona, findings, shots, visited, shared.setdefault(persona if shots else groups[persona], set()))
    elapsed = time.monotonic() - started
    report = (f"{len(visited)} pages × {len(WIDTHS)} widths, {len(personas)} personas, {elapsed:.0f}s\n"
              + "\n".join(findings))
    Path("/tmp/qingling-sweep-report.txt").write_text(report + "\n\n" + "\n".join(f"{p} {u}" for p, u in visited))
    if os.environ.get("SWEEP_PERSONAS") is None:
        assert len(visited) > 10 * len(personas)
    failing = [f for f in findings if not any(f" {live_server.url}{path}" in f for path in PENDING_ELSEWHERE)]
    assert not failing, report
