"""Browser: every registered list reads on a phone — cards below Bootstrap's md breakpoint, filters in
an off-canvas panel, nothing wider than the screen — and is the usual table on a desktop.

Rows come from the per-list factories of core/tests/test_lists.py; the enterprise gets a long name
with an unbroken Latin run, the case that used to push the enterprise list 117 px past a 390 px screen.
"""

import pytest
from django.urls import get_resolver, reverse

from core.lists import REGISTRY
from core.tests.test_lists import FACTORIES
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URL_PATTERNS = get_resolver().url_patterns  # importing the URLconf fills REGISTRY

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
LONG_NAME = "天津市河北区鑫隆商贸有限责任公司光复道街道仓储配送中心XINLONGTRADINGWAREHOUSEANDLOGISTICSCENTRE"


def layout(page) -> dict:
    """What the list looks like right now, read from the browser's computed styles."""
    return page.evaluate("""() => {
        const table = document.querySelector('table.list-cards');
        const row = table.querySelector('tbody tr');
        const visible = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        const title = row.querySelector('[data-card=title]');
        return {
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            headVisible: visible(table.querySelector('thead')),
            rowDisplay: getComputedStyle(row).display,
            rowCells: row.querySelectorAll(':scope > td').length,
            headCells: table.querySelectorAll('thead th').length,
            titleFirst: !title || title.getBoundingClientRect().top <= Math.min(
                ...[...row.querySelectorAll(':scope > td')].filter(visible).map(td => td.getBoundingClientRect().top)),
            label: (() => { const td = row.querySelector('td[data-label]');
                            return td ? getComputedStyle(td, '::before').content : null; })(),
            formVisible: visible(document.querySelector('[data-testid=filter-form]')),
            toggleVisible: visible(document.querySelector('[data-testid=filter-toggle]')),
        };
    }""")


def check_lists(page, live_server, names):
    """Visit each list at phone then desktop width; returns the problems found (all at once)."""
    problems = []
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        for name in names:
            url = reverse(REGISTRY[name].url_name, kwargs=REGISTRY[name].url_kwargs)
            response = page.goto(f"{live_server.url}{url}")
            if response.status != 200:
                problems.append(f"{name} {width['width']}: status {response.status}")
                continue
            got = layout(page)
            where = f"{name} ({url}) at {width['width']} px"
            if got["overflow"] > 0:
                problems.append(f"{where}: {got['overflow']} px wider than the screen")
            has_form = page.locator("[data-testid=filter-form]").count() > 0
            if got["rowCells"] != got["headCells"]:  # a card's labels come from the columns, in order
                problems.append(f"{where}: {got['rowCells']} cells for {got['headCells']} columns")
            if width is PHONE:
                if got["headVisible"] or got["rowDisplay"] != "flex":
                    problems.append(f"{where}: a table, not cards ({got})")
                if not got["titleFirst"]:
                    problems.append(f"{where}: the card's title is not on top")
                if got["rowCells"] > 1 and not (got["label"] or "").endswith('："'):
                    problems.append(f"{where}: card lines without labels ({got['label']})")
                if has_form and (got["formVisible"] or not got["toggleVisible"]):
                    problems.append(f"{where}: filters not folded into the panel ({got})")
            else:
                if not got["headVisible"] or got["rowDisplay"] != "table-row":
                    problems.append(f"{where}: cards, not a table ({got})")
                if has_form and (not got["formVisible"] or got["toggleVisible"]):
                    problems.append(f"{where}: the filter form is not shown above the table ({got})")
    return problems


@pytest.fixture
def rows(tworld):
    for make in FACTORIES.values():
        make(tworld, 2)
    ent = tworld.ent_commerce
    type(ent).objects.filter(pk=ent.pk).update(name=LONG_NAME)
    return tworld


#: lists the committee office's officer does not open (core/tests/test_lists.py LIST_USER), read as the user who does
READERS = {"accounts.users": "hb_anweiban_lead"}


def test_every_list_is_cards_on_a_phone_and_a_table_on_a_desktop(page, live_server, rows):
    log_in(page, live_server.url, "hb_anweiban")
    problems = check_lists(page, live_server, sorted(set(REGISTRY) - set(READERS)))
    for name, username in READERS.items():
        log_in(page, live_server.url, username, fresh=True)
        problems += check_lists(page, live_server, [name])
    assert not problems, "\n".join(problems)


def test_an_enterprise_reads_its_list_and_ledger_on_a_phone(page, live_server, rows):
    log_in(page, live_server.url, "qy_xinlong")
    problems = check_lists(page, live_server, ["enterprises.list", "hazards.ledger"])
    assert not problems, "\n".join(problems)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('hazards:ledger')}")
    assert LONG_NAME in page.inner_text("table.list-cards tbody tr >> nth=0")


def _open_filters(page):
    """Tap 筛选 and wait, as a person does, until the panel has slid fully open: Bootstrap moves the
    focus into the panel when its transition ends, and a tap landing at that instant could be lost."""
    page.locator("[data-testid=filter-toggle]").click()
    page.locator("[data-testid=filter-panel].show:not(.showing)").wait_for(state="visible")


def test_phone_filters_open_in_a_panel_and_the_button_counts_them(page, live_server, rows):
    log_in(page, live_server.url, "hb_anweiban")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('hazards:ledger')}")
    toggle = page.locator("[data-testid=filter-toggle]")
    assert toggle.inner_text().strip() == "筛选"  # no filter set: no count
    # data first: the form waits in the closed panel
    assert not page.locator("[data-testid=filter-form]").is_visible()
    _open_filters(page)
    panel = page.locator("[data-testid=filter-panel]")
    panel.locator("#id_grade").select_option("general")
    panel.locator("#id_q").fill("灭火器")
    panel.locator("button[type=submit]").click()
    page.wait_for_url("**grade=general**")
    assert page.inner_text("[data-testid=filter-count]") == "2"
    assert not page.locator("[data-testid=filter-form]").is_visible()
    assert page.locator("table.list-cards tbody tr").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _open_filters(page)
    page.locator("[data-testid=filter-panel] .btn-close").click()
    page.locator("[data-testid=filter-form]").wait_for(state="hidden")
    # on a desktop the same page shows the form above the table, without the button
    page.set_viewport_size(DESKTOP)
    assert page.locator("[data-testid=filter-form]").is_visible()
    assert not page.locator("[data-testid=filter-toggle]").is_visible()
    assert page.input_value("#id_grade") == "general"


def test_a_filter_field_tapped_while_the_panel_slides_in_keeps_the_focus(page, live_server, rows):
    """Bootstrap's focus trap puts the focus on the panel when its slide ends; a field the user
    tapped during the slide keeps it (core/static/core/ui.js), so the keyboard stays up."""
    log_in(page, live_server.url, "hb_anweiban")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('hazards:ledger')}")
    page.locator("[data-testid=filter-toggle]").click()
    page.locator("[data-testid=filter-panel].showing").wait_for(state="attached")
    still_sliding = page.evaluate("""() => {
        document.querySelector('#id_q').focus();
        return document.querySelector('[data-testid=filter-panel]').classList.contains('showing');
    }""")
    assert still_sliding  # the tap landed during the slide, the case this is about
    page.locator("[data-testid=filter-panel].show:not(.showing)").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("灭火器")
    assert page.input_value("#id_q") == "灭火器"
