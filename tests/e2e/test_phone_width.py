"""Browser, phone: no page scrolls sideways on a 375 × 740 phone (Chromium's mobile emulation: is_mobile,
has_touch) — for every kind of persona, on every page its menu reaches and one detail page of each kind.

Personas: the committee offices (安委办) of the province (天津市), the city level (市辖区, made here: the demo has
none) and the district, departments at province (市应急管理局, made here) and district level (应急管理局 and
the 商务局, an industry department), a township office, an enterprise, a third-party agency, and an anonymous
citizen on the public pages (tip form, tip tracking, notice board, accident reports).

Pages: the home page, every navbar link (the menu of core.navigation plus jobs, messages, profile), every link
of those pages (one per kind of page: lists, tabs, forms, the first detail of each list), one page of each kind
named in ``details()`` (the case with a 移送 decision and the 公安机关's answer, a listing, an accident, the
dispatch table, statistics, board, every rule table, jobs, accounts and units …) and the pages those lead to
(edit forms, history), each kind once per persona. The demo loader (core.demo.load_demo, as ``make run`` and
tests/e2e/test_sweep.py use it) builds the data; ``long_rows()`` adds what real data carries and the demo does
not: an enterprise whose name has a long Latin run (the name of tests/e2e/test_list_cards.py) with a major
hazard, a 移送 case and a citizen's tip holding a video link, and the rows some pages need (a 整改复查 batch, a
dispatch submission, a job named after an uploaded file).

A page fails when
* the document is wider than the screen: ``scrollWidth > clientWidth + 1``. Not ``window.innerWidth``: under
  mobile emulation Chromium widens innerWidth to the content (a page 780 px wide reports 780), so that
  comparison never fires on a phone;
* a table in ``main`` sits in no horizontal scroll container (``.table-responsive``): it fits only as long as
  its rows are short. The list partial's card tables (``.list-cards``) are exempt: on a phone they are cards.
* a button's label in ``main`` breaks over lines: a flex row squeezed it (编辑 stood one character per line in
  the enterprise page's heading). Buttons keep their label whole (qingling.css) and their rows wrap (``.page-head``).
* a data table's column heading, a date or a cell of at most four characters breaks over lines (a date and time
  may break at its space): the table was
  squeezed to the screen (行政处罚 stood one character per line on the case page) instead of scrolling in its
  ``.table-responsive`` (qingling.css gives data columns a minimum width on a phone).

One live server, one browser, one context per persona (~1,000 pages in about two and a half minutes). A failure
names the persona, the page (its label in ``details()`` and URL) and the elements that stick out; the pages
visited are written to /tmp/qingling-phone-width.txt. What it guards: qingling.css (long strings break where they
are) and the .table-responsive around every template table (core/tests/test_template_tables.py).
"""

import datetime
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from core.demo import DEMO_PASSWORD
from tests.e2e.session import log_in
from tests.e2e.test_list_cards import LONG_NAME
from tests.e2e.test_sweep import _internal, shape

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
#: kind of persona → login (the two marked * are made by the fixture)
PERSONAS = {
    "省级安委办": "tj_anweiban",
    "省级部门（应急管理局）*": "tj_yingji",
    "市级安委办*": "sx_anweiban",
    "县级安委办": "hb_anweiban",
    "县级安委办负责人": "hb_anweiban_lead",
    "县级应急管理局": "hb_yingji",
    "县级行业部门（商务局）": "hb_shangwu",
    "乡镇（街道）": "jd_guangfudao",
    "生产经营单位": "qy_xinlong",
    "第三方机构": "dsf_expert",
}
PUBLIC = ["/accounts/login/", "/public/tips/new/", "/public/tips/track/", "/public/supervision/", "/public/accidents/"]
LEDGER_FILE = "2026年第一季度隐患排查台账_河北区应急管理局_final_v3（修订）.xlsx"
VIDEO_LINK = "https://www.douyin.com/video/7312345678901234567?previous_page=app_code_link&share_token=Qx8fZ2"
REPORT = Path("/tmp/qingling-phone-width.txt")

WIDTH_JS = """() => new Promise(done => requestAnimationFrame(() => {
  const root = document.documentElement, width = root.clientWidth;
  const scrollsX = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.position === 'fixed' || s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return true; }
    return false; };
  const loose = [...document.querySelectorAll('main table')].filter(t => !t.classList.contains('list-cards') && !scrollsX(t))
    .map(t => 'table ' + (t.dataset.testid || '«' + (t.querySelector('th, td')?.innerText || '').trim().slice(0, 12) + '»'));
  const name = e => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  let wide = [];
  if (root.scrollWidth > width + 1) {
    const beyond = e => e.getBoundingClientRect().right > width + 1
      || [...e.childNodes].some(n => { if (n.nodeType !== 3 || !n.textContent.trim()) return false;
           const r = document.createRange(); r.selectNodeContents(n); return r.getBoundingClientRect().right > width + 1; });
    const all = [...document.body.querySelectorAll('*')].filter(e => getComputedStyle(e).position !== 'fixed' && !scrollsX(e) && beyond(e));
    wide = all.filter(e => !all.some(o => o !== e && e.contains(o))).slice(0, 3)
      .map(e => (e.parentElement ? name(e.parentElement) + '>' : '') + name(e) + ' «' + (e.innerText || '').replace(/\\s+/g, ' ').slice(0, 30) + '»');
  }
  const lines = e => { const r = document.createRange(); r.selectNodeContents(e); const cs = getComputedStyle(e);
    const line = parseFloat(cs.lineHeight) || 1.2 * parseFloat(cs.fontSize);
    return r.getBoundingClientRect().height / line; };
  const broken = [...document.querySelectorAll('main .btn')].filter(b => b.offsetParent && b.innerText.trim() && lines(b) > 1.5)
    .slice(0, 3).map(b => '«' + b.innerText.replace(/\\s+/g, ' ').trim().slice(0, 20) + '»');
  const dataCells = [...document.querySelectorAll('main table:not(.list-cards) > thead th, main table:not(.list-cards) > tbody > tr > td')];
  const short = c => { const t = c.innerText.trim(); return t && !t.includes('\\n')
    && (c.tagName === 'TH' ? c.closest('thead') : (t.length <= 4 || /^\\d{4}-\\d{2}-\\d{2}$/.test(t))); };
  const textLines = c => { const tops = []; const walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT); let n;
    while ((n = walk.nextNode())) { if (!n.textContent.trim()) continue; const r = document.createRange(); r.selectNodeContents(n);
      for (const b of r.getClientRects()) if (b.width > 0 && !tops.some(t => Math.abs(t - b.top) < b.height / 2)) tops.push(b.top); }
    return tops.length; };  // the lines its text takes (a badge's or a button's padding is not a line)
  const squeezed = dataCells.filter(c => c.offsetParent && short(c) && textLines(c) > 1)
    .slice(0, 3).map(c => '«' + c.innerText.trim().slice(0, 20) + '»');
  done({scroll: root.scrollWidth, width, loose, wide, broken, squeezed});
}))"""


@pytest.fixture
def demo(transactional_db):
    from accounts import services as acc
    from accounts.models import DepartmentType, Membership, Organisation
    from core.demo import load_demo
    from regions.loader import TEST_FILE, load_regions
    from regions.models import Region

    if not Region.objects.filter(code="120105").exists():
        load_regions(TEST_FILE)
    ctx = load_demo()
    city = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="天津市市辖区安全生产委员会办公室",
                                   region=Region.objects.get(code="1201"))
    acc.create_user(None, username="sx_anweiban", password=DEMO_PASSWORD, organisation=city,
                    role=Membership.Role.OFFICER, full_name="市辖区安委办 周岚")
    emergency = DepartmentType.objects.get(code="emergency")
    province_dept = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name="天津市应急管理局",
                                            region=Region.objects.get(code="12"), department_type=emergency)
    for sector in emergency.default_sectors.all():
        acc.set_competence(None, department=province_dept, sector=sector)
    acc.create_user(None, username="tj_yingji", password=DEMO_PASSWORD, organisation=province_dept,
                    role=Membership.Role.OFFICER, full_name="市应急管理局 许诺", is_inspector=True,
                    inspector_cert="12000000001")
    ctx["long"] = long_rows(ctx)
    return ctx


def long_rows(ctx) -> dict:
    """What real data carries and the demo does not, made through the services: an enterprise whose name
    has a long Latin run, a major hazard of it, a case with a 移送司法机关 decision (the 公安机关's receipt
    and answer recorded) and a fine, a citizen's tip with a video link, and pages the demo has no row for:
    a 整改复查 batch, a township's dispatch submission, a job named after an uploaded file."""
    from accounts.models import Sector
    from campaigns import services as campaigns
    from campaigns.models import Campaign
    from enforcement import services as enf
    from enforcement import transfers
    from enforcement.models import CaseParty, PenaltyArticle
    from enterprises import services as ent_services
    from enterprises.validators import make_credit_code
    from hazards import services as hz
    from inspections import review
    from jobs import services as jobs
    from tips import services as tips

    officer = ctx["users"]["hb_yingji"]
    hazchem = Sector.objects.get(code="hazchem")
    township = ctx["enterprises"][12].region
    today = timezone.localdate()
    ent = ent_services.create_enterprise(
        None, name=LONG_NAME, credit_code=make_credit_code("91120105MA009901X"), region=township, sectors=[hazchem],
        address=f"天津市河北区{township.name}示范路99号", principal_name="负责人99", principal_phone="13800000099",
        uses_hazchem=True)
    hazard = hz.register_hazard(officer, enterprise=ent, sector=hazchem, grade="major", notify_people=False,
                                description="储罐区可燃气体检测报警装置被人为关闭", basis_reason="关闭直接关系生产安全的报警设备",
                                location="1号储罐区T-101/T-102之间", deadline=today + datetime.timedelta(days=30))
    case = enf.open_case(officer, enterprise=ent, title="关闭储罐区可燃气体检测报警装置", hazard=hazard,
                         opened_on=today - datetime.timedelta(days=30), facts="执法检查发现储罐区报警装置被人为关闭。")
    person = enf.add_party(officer, case, name="赵立群", role=CaseParty.Role.OTHER_HEAD, position="储运部经理（现场负责人）")
    enf.advance(officer, case, "investigate")
    moved = enf.transfer(officer, case, party=person, dangerous_ops=True, decided_on=today - datetime.timedelta(days=21),
                         reason="指使关闭报警装置，涉嫌危险作业罪，依法移送公安机关。", transfer_to="天津市公安局河北分局")
    transfers.record_transfer_receipt(officer, moved, receiving_organ="天津市公安局河北分局",
                                      received_on=today - datetime.timedelta(days=20))
    transfers.record_transfer_outcome(officer, moved, outcome="filed", notified_on=today - datetime.timedelta(days=15),
                                      note="津公河（刑）立字〔2025〕第000123号")
    enf.advance(officer, case, "notify")
    enf.decide_penalty(officer, case, party=case.parties.get(kind=CaseParty.Kind.ENTITY),
                       article=PenaltyArticle.objects.get(article=99, item="(四)"), amount=40000,
                       decided_on=today - datetime.timedelta(days=10), correction_ordered_on=today - datetime.timedelta(days=10),
                       correction_deadline=today - datetime.timedelta(days=3))
    enf.advance(officer, case, "decide")
    tip, code = tips.submit_tip(None, region=township, sector=hazchem, enterprise=ent, address="储罐区东侧围墙外",
                                content=f"储罐区报警器一直不响，晚上有人在罐区装卸甲苯，视频：{VIDEO_LINK}")
    review.import_batch(officer, title="储罐区报警装置整改复查", hazard_ids=[hazard.pk], inspector=officer)
    township_officer = ctx["users"]["jd_guangfudao"]
    campaigns.submit(township_officer, unit=township_officer.membership.organisation,
                     campaign=Campaign.objects.order_by("-start").first(), as_of=timezone.now())
    jobs.submit(officer, "jobs.selftest", f"导入隐患台账：{LEDGER_FILE}", queue=False)
    return {"enterprise": ent, "hazard": hazard, "case": case, "tip": tip, "code": code}


def details(ctx) -> list[tuple[str, list[str]]]:
    """One detail page of each kind: (label, candidate URLs); each persona gets the first it may open."""
    from django.apps import apps

    from accidents.models import Accident, LessonCheck
    from assessment.models import Assessment, IndicatorSet
    from campaigns.models import Submission
    from core.ruletables import TABLES
    from enforcement.models import Case
    from inspections.models import Plan, Record, ReviewBatch, Visit
    from jobs.models import Job
    from risks.models import RiskPoint
    from standards.models import Item, KeyInspectionList, Standard
    from supervision.models import Listing
    from tips.models import RewardPolicy

    first_rows = [(key, row.pk) for key, table in TABLES.items()
                  for row in apps.get_model(table.model).objects.order_by("pk")[:1]]

    def urls(name, objects, limit=8):
        return [reverse(name, args=[o.pk]) for o in objects[:limit]]

    long = ctx["long"]
    orgs = [u.membership.organisation for u in ctx["users"].values() if hasattr(u, "membership")]
    return [
        ("隐患（长名称单位的重大隐患）", [reverse("hazards:detail", args=[long["hazard"].pk])]),
        ("隐患（挂牌督办的）", urls("hazards:detail", [listing.hazard for listing in Listing.objects.order_by("pk")])),
        ("生产经营单位", [reverse("enterprises:detail", args=[long["enterprise"].pk])]
         + urls("enterprises:detail", ctx["enterprises"], 33)),
        ("单位变更记录", [reverse("enterprises:history", args=[long["enterprise"].pk])]
         + [reverse("enterprises:history", args=[e.pk]) for e in ctx["enterprises"]]),
        ("执法案件（移送司法机关及公安机关回执、罚款）", [reverse("enforcement:case_detail", args=[long["case"].pk])]
         + urls("enforcement:case_detail", Case.objects.filter(decisions__kind="transfer").distinct())),
        ("执法案件（一案双罚）", urls("enforcement:case_detail", Case.objects.filter(decisions__kind="penalty").distinct().order_by("pk"))),
        ("检查计划", urls("inspections:plan", Plan.objects.order_by("pk"))),
        ("检查记录", urls("inspections:record", Record.objects.order_by("pk"))),
        ("督导检查", urls("inspections:visit", Visit.objects.order_by("pk"))),
        ("复核", urls("inspections:review", ReviewBatch.objects.order_by("pk"))),
        ("举报（含视频链接）", [reverse("tips:detail", args=[long["tip"].pk])]),
        ("挂牌督办", urls("supervision:detail", Listing.objects.order_by("pk"))),
        ("事故", urls("accidents:detail", Accident.objects.order_by("pk"))),
        ("举一反三检查", urls("accidents:lesson", LessonCheck.objects.order_by("pk"))),
        ("考评", urls("assessment:set", IndicatorSet.objects.order_by("pk"))),
        ("考评表", urls("assessment:sheet", Assessment.objects.order_by("pk"), 30)),
        ("调度表", [reverse("campaigns:dispatch")]),
        ("调度报送记录", urls("campaigns:submission", Submission.objects.order_by("pk"), 30)),
        ("调度汇总", [reverse("campaigns:rollup")]),
        ("统计", [reverse("campaigns:stats")]),
        ("看板", [reverse("campaigns:board")]),
        ("规则表目录", [reverse("ruletables")]),
        *((f"规则表 {key}", [reverse("ruletable_rows", args=[key])]) for key in TABLES),
        ("规则表的一行", [reverse("ruletable_edit", args=[key, pk]) for key, pk in first_rows]),
        ("举报奖励规则", [reverse("tips:rules_rewards")]),
        ("举报奖励标准", [reverse("tips:rules_reward_edit", args=[code])
                    for code in RewardPolicy.objects.values_list("code", flat=True)[:1]]),
        ("后台任务", [reverse("jobs:list")] + urls("jobs:detail", Job.objects.order_by("pk"))),
        ("账户", urls("accounts:user_detail", list(ctx["users"].values()), 30)),
        ("单位", urls("accounts:organisation_detail", orgs, 30)),
        ("风险点", urls("risks:point", RiskPoint.objects.order_by("pk"))),
        ("主体责任", urls("obligations:enterprise", ctx["enterprises"], 33)),
        ("判定标准", urls("standards:detail", Standard.objects.order_by("pk"), 1)
         + urls("standards:item_detail", Item.objects.order_by("pk"), 1)
         + urls("standards:key_list_detail", KeyInspectionList.objects.order_by("pk"), 1)),
    ]


def check(page, url, where, findings) -> bool:
    """Open ``url``; record what does not fit (and a server error). False when the persona may not open it
    (403/404: a candidate of ``details()`` out of its scope) or it is a file."""
    try:
        response = page.goto(url, wait_until="load")
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):
            return False
        raise
    if response is None or response.status >= 400:
        if response is not None and response.status >= 500:
            findings.append(f"{where}: HTTP {response.status}")
        return False
    m = page.evaluate(WIDTH_JS)
    if m["scroll"] > m["width"] + 1:
        findings.append(f"{where}: the page is {m['scroll'] - m['width']} px wider than the phone ({'; '.join(m['wide'])})")
    for table in m["loose"]:
        findings.append(f"{where}: {table} is not in a .table-responsive (a longer row widens the page)")
    for cell in m["squeezed"]:
        findings.append(f"{where}: the table cell {cell} breaks over lines (a heading, a date or four characters "
                        "squeezed: its table should scroll instead)")
    for button in m["broken"]:
        findings.append(f"{where}: the button {button} breaks over lines (squeezed: give its row flex-wrap or a .page-head)")
    return True


def links(page, base, selector="main a[href]"):
    return [u for u in (_internal(h, base) for h in page.evaluate(
        "(s) => [...document.querySelectorAll(s)].map(a => a.getAttribute('href'))", selector)) if u]


def phone_page(browser, browser_context_args):
    return browser.new_context(**{**browser_context_args, **PHONE}).new_page()


@pytest.mark.timeout(900)
def test_no_page_scrolls_sideways_on_a_phone(browser, browser_context_args, live_server, demo):
    base = live_server.url
    named = details(demo)
    findings: list[str] = []
    visited: list[str] = []
    opened: set[str] = set()  # the labels of details() some persona could open
    started = time.monotonic()

    for kind, username in PERSONAS.items():
        page = phone_page(browser, browser_context_args)
        log_in(page, base, username)
        seen: set[str] = set()
        below: list[str] = []
        for depth, queue in ((1, ["/"] + links(page, base, "nav.qingling-nav a[href], main a[href]")), (2, below)):
            for url in queue:  # the menu pages, then every link of theirs: one page of each kind (shape)
                if shape(url) in seen:
                    continue
                seen.add(shape(url))
                if check(page, base + url, f"{username}（{kind}）{url}", findings):
                    visited.append(f"{username} {url}")
                    if depth == 1:
                        below.extend(links(page, base))
        further: list[str] = []
        for label, candidates in named:
            for url in candidates:
                if check(page, base + url, f"{username}（{kind}）{label} {url}", findings):
                    visited.append(f"{username} {label} {url}")
                    opened.add(label)
                    seen.add(shape(url))
                    further.extend(links(page, base))
                    break
        for url in further:  # what the detail pages lead to (edit forms, history, sub-pages), one of each kind
            if shape(url) not in seen:
                seen.add(shape(url))
                if check(page, base + url, f"{username}（{kind}）{url}", findings):
                    visited.append(f"{username} {url}")
        page.context.close()

    page = phone_page(browser, browser_context_args)
    for url in PUBLIC:
        assert check(page, base + url, f"匿名群众 {url}", findings), url
        visited.append(f"anonymous {url}")
    for url in [u for u in links(page, base) if shape(u) == "/public/accidents/N/"][:1]:  # PUBLIC ends with the list
        assert check(page, base + url, f"匿名群众 事故调查报告 {url}", findings), url
        visited.append(f"anonymous {url}")
        opened.add("公开的事故调查报告")
    page.goto(f"{base}/public/tips/track/")  # the reporter looks the tip up with its code
    page.fill("#id_code", demo["long"]["code"])
    page.click("[data-testid=track-submit]")
    page.wait_for_selector("[data-testid=track-result]")
    m = page.evaluate(WIDTH_JS)
    if m["scroll"] > m["width"] + 1:
        findings.append(f"匿名群众 举报查询结果: the page is {m['scroll'] - m['width']} px wider than the phone "
                        f"({'; '.join(m['wide'])})")
    visited.append("anonymous 举报查询结果")
    page.context.close()

    elapsed = time.monotonic() - started
    REPORT.write_text(f"{len(visited)} pages, {elapsed:.0f}s\n" + "\n".join(findings) + "\n\n" + "\n".join(visited) + "\n")
    assert len(visited) > 20 * len(PERSONAS), f"only {len(visited)} pages visited"
    missing = [label for label in [label for label, _urls in named] + ["公开的事故调查报告"] if label not in opened]
    assert not missing, f"no persona could open: {missing}"
    assert not findings, f"{len(findings)} problems on a 375 px phone:\n" + "\n".join(findings)
