"""Browser: the acceptor's before/after comparison — side by side at 1366 px, stacked at 390 px,
thumbnails load, no horizontal overflow."""

import pytest

from tests.e2e.session import log_in

from .conftest import make_major
from .test_evidence_review import photo, to_pending, upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_before_after_side_by_side_then_stacked(page, live_server, tworld):
    hazard = make_major(tworld)
    upload(tworld, hazard, photo("red", size=(800, 600), when="2026:01:02 03:04:05"), name="before.jpg")
    hazard = to_pending(tworld, hazard, photo("white", size=(600, 800)), name="after.jpg")
    log_in(page, live_server.url, "hb_shangwu")
    for width, side_by_side in ((1366, True), (390, False)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
        loaded = page.evaluate("""() => Promise.all([...document.querySelectorAll('[data-testid=before-after] img')]
            .map(i => i.complete ? i.naturalWidth : new Promise(done => {
                i.addEventListener('load', () => done(i.naturalWidth));
                i.addEventListener('error', () => done(0));
            })))""")  # no string-eval waits: the CSP forbids eval
        assert loaded and all(w > 0 for w in loaded)
        before, after = box(page, "[data-testid=before]"), box(page, "[data-testid=after]")
        if side_by_side:
            assert abs(before["y"] - after["y"]) < 2 and after["x"] >= before["x"] + before["width"] - 1
        else:
            assert after["y"] >= before["y"] + before["height"] - 1 and abs(before["x"] - after["x"]) < 2
        assert box(page, "[data-testid=before-after]")["y"] < box(page, "[data-testid=action-accept]")["y"]
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >
            document.documentElement.clientWidth + 0.5).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' +
            (e.dataset.testid || '') + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert overflow <= 0, f"{width}px: page overflows by {overflow}px: {wide}"
        page.screenshot(path=f"/tmp/evidence-{width}.png", full_page=False)
