"""Shared builders for enforcement tests (everything through the services)."""

import datetime

from django.utils import timezone

from accounts.models import Sector
from enforcement import services
from enforcement.models import CaseParty, PenaltyArticle
from hazards import services as hz

PLAN = dict(goal_tasks="消除隐患", measures="加装报警装置", funds_materials="5万元，已落实", responsible="设备部 张三",
            deadline=datetime.date(2030, 1, 31), safety_emergency="停用该区域，配备灭火器材，应急预案已修订")


def article(num, item=""):
    return PenaltyArticle.objects.get(article=num, item=item)


def suspension_article():
    """A clause that orders 责令停产停业整顿 with no earlier correction order: art. 99 "情节严重的"."""
    return article(99, "(四)")


def major_hazard(world, *, actor="enterprise", report=True, plan=True, ent=None):
    ent = ent or world.ent_commerce
    h = hz.register_hazard(world.user(actor), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                           description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                           deadline=timezone.localdate() + datetime.timedelta(days=30))
    if report:
        h = hz.report_hazard(world.user("enterprise"), h, department=world.org("commerce"))
    if plan:
        h = hz.submit_plan(world.user(actor), h, plan=PLAN)
    return h


#: how long ago a test case is filed by default: before every decision the tests date back (a decision
#: is never dated before its case was filed); a case about a hazard registered in the test is filed today
FILED_DAYS_AGO = 60


def notified_case(world, persona="commerce", ent=None, hazard=None, title="未如实记录隐患排查治理情况", parties=(),
                  filed=None):
    """A case at 告知, filed ``filed`` days from today (default: ``FILED_DAYS_AGO`` days ago; today for a
    case about a hazard, registered today). ``parties``: (role, name) of persons identified during the
    investigation (parties are added while the case is filed or investigated)."""
    actor = world.user(persona)
    if filed is None:
        filed = 0 if hazard is not None else -FILED_DAYS_AGO
    case = services.open_case(actor, enterprise=ent or world.ent_commerce, title=title, facts="检查发现隐患台账缺失。",
                              hazard=hazard, opened_on=timezone.localdate() + datetime.timedelta(days=filed))
    services.advance(actor, case, "investigate")
    for role, name in parties:
        services.add_party(actor, case, name=name, role=role)
    services.advance(actor, case, "notify")
    return case


def decided_case(world, persona="commerce", ent=None, amount=10000, **kw):
    """A case at 决定 with an effective fine on the unit (art. 102): what measures, the credit list
    and, once closed, a typical case follow."""
    case = notified_case(world, persona, ent, **kw)
    services.decide_penalty(world.user(persona), case, party=entity(case), article=article(102), amount=amount)
    services.advance(world.user(persona), case, "decide")
    return case


def party(case, role):
    return case.parties.get(role=role)


def entity(case):
    return case.parties.get(kind=CaseParty.Kind.ENTITY)


def principal(case):
    return case.parties.get(role=CaseParty.Role.PRINCIPAL)


def order_to_correct(world, case, num, item="", *, ordered=-40, deadline=-10, amount=None, persona="commerce", reason=""):
    """The 责令限期改正 a 逾期未改正 / 拒不执行 fine presupposes (安全生产法 "责令限期改正，处……罚款"):
    the unit's fine under (num, item) with its correction order ``ordered`` days from today and its
    deadline ``deadline`` days from today (None: an order to correct at once)."""
    day = lambda n: timezone.localdate() + datetime.timedelta(days=n)  # noqa: E731
    art = article(num, item)
    return services.decide_penalty(world.user(persona), case, party=entity(case), article=art,
                                   amount=amount or art.entity_max, reason=reason, decided_on=day(ordered),
                                   correction_ordered_on=day(ordered),
                                   correction_deadline=day(deadline) if deadline is not None else None)


def penalised(world, ent=None, persona="commerce"):
    """The unit has an effective fine (a case at 决定 — made once): the ground a 严重失信 listing rests
    on (seed 002 item 3 "因安全生产违法行为受到行政处罚的生产经营单位")."""
    from enforcement.models import Decision

    ent = ent or world.ent_commerce
    if not Decision.objects.filter(case__enterprise=ent, kind="penalty", status="effective").exists():
        decided_case(world, persona=persona, ent=ent)


def refused_correction(world, persona="commerce"):
    """10,000 元 on the unit with a 责令改正 on day -20 (deadline day -15); refused to correct: 按日连续处罚
    decided on day -5, 10,000 元 a day from day -19, not corrected; the case at 决定. Returns (case, daily)."""
    handler = world.user(persona)
    day = lambda n: timezone.localdate() + datetime.timedelta(days=n)  # noqa: E731
    case = notified_case(world, persona)
    base = services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=10000,
                                   decided_on=day(-20), correction_ordered_on=day(-20), correction_deadline=day(-15))
    services.advance(handler, case, "decide")
    return case, services.daily_fine(handler, case, base=base, reason="复查仍未改正", decided_on=day(-5))
