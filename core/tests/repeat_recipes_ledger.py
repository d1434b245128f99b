"""How to bring each ledger-side action of the API — hazards, 挂牌督办, tips — to the state where it is
allowed: ``RECIPES`` maps an operation to ``recipe(world) -> (persona, url, body)``; the repeat test
(``test_api_repeats``) performs it twice. The cases side (accidents, inspections, enforcement, 调度表,
assessment, enterprises) is in ``repeat_recipes_cases``."""

import datetime

from django.utils import timezone


def _today():
    return timezone.localdate()


def _iso(days):
    return (_today() + datetime.timedelta(days=days)).isoformat()


# ---------------------------------------------------------------- hazards

PLAN = {"goal_tasks": "消除隐患", "measures": "拆除门锁", "funds_materials": "5万元，已落实", "responsible": "设备部 张三",
        "safety_emergency": "停用该区域，预案已修订"}


def _hazard(world, grade="general", state="registered", **kw):
    from accounts.models import Sector
    from hazards import services as hz

    h = hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                           sector=Sector.objects.get(code="commerce"), description="安全出口锁闭", grade=grade,
                           basis_reason="可能导致群死群伤", deadline=_today() + datetime.timedelta(days=20), **kw)
    if state in ("rectifying", "pending", "closed"):
        h = hz.submit_plan(world.user("enterprise"), h, plan={**PLAN, "deadline": _today() + datetime.timedelta(days=20)})
    if state in ("pending", "closed"):
        hz.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
    if state == "closed":
        h = hz.accept(world.user("commerce"), h, opinion="合格")
    return h


def _act(h, name):
    return f"/api/v1/hazards/{h.pk}/actions/{name}/"


def h_report(world):
    h = _hazard(world, "major")
    return "enterprise", _act(h, "report"), {"department": world.org("commerce").pk}


def h_submit_plan(world):
    h = _hazard(world, "major")
    return "enterprise", _act(h, "submit_plan"), {**PLAN, "deadline": _iso(20)}


def h_close_now(world):
    return "enterprise", _act(_hazard(world), "close_now"), {"evidence_note": "当场整改完毕"}


def h_submit_completion(world):
    return "enterprise", _act(_hazard(world, state="rectifying"), "submit_completion"), {"evidence_note": "已整改"}


def h_accept(world):
    return "commerce", _act(_hazard(world, state="pending"), "accept"), {"mode": "on_site", "opinion": "合格"}


def h_reject(world):
    return "commerce", _act(_hazard(world, state="pending"), "reject"), {"reason": "出口仍上锁"}


def h_request_extension(world):
    return "enterprise", _act(_hazard(world, state="rectifying"), "request_extension"), \
        {"new_deadline": _iso(40), "reason": "设备到货延迟"}


def h_decide_extension(world):
    from hazards import services as hz

    h = _hazard(world, state="rectifying")
    hz.request_extension(world.user("enterprise"), h, new_deadline=_today() + datetime.timedelta(days=40), reason="延迟")
    return "commerce", _act(h, "decide_extension"), {"approve": True, "note": "同意"}


def h_merge(world):
    h, into = _hazard(world), _hazard(world)
    return "commerce", _act(h, "merge"), {"into": into.pk, "reason": "重复登记"}


def h_void(world):
    return "commerce", _act(_hazard(world), "void"), {"reason": "误登记"}


def h_site_order(world):
    from enforcement.tests.helpers import major_hazard

    h = major_hazard(world)
    return "commerce", f"/api/v1/hazards/{h.pk}/site-orders/", {"halt": True, "reason": "安全出口锁闭，无法保证安全"}


def h_lift_site_order(world):
    from enforcement.tests.helpers import major_hazard
    from hazards import services as hz

    h = major_hazard(world)
    order = hz.order_site_measures(world.user("commerce"), h, halt=True, reason="安全出口锁闭，无法保证安全")
    hz.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
    h.refresh_from_db()
    hz.accept(world.user("commerce"), h, mode="on_site", opinion="合格")
    return "commerce", f"/api/v1/hazards/{h.pk}/site-orders/{order.pk}/lift/", {"opinion": "经复查，同意恢复生产经营"}


def _site_order(world):
    from enforcement.tests.helpers import major_hazard
    from hazards import services as hz

    h = major_hazard(world)
    return h, hz.order_site_measures(world.user("commerce"), h, halt=True, reason="安全出口锁闭，无法保证安全")


def h_compulsory_measures(world):
    from django.utils import timezone

    h, order = _site_order(world)
    told = timezone.localtime()
    return "commerce_lead", f"/api/v1/hazards/{h.pk}/site-orders/{order.pk}/compulsory-measures/", {
        "stop_explosives": True, "notified_units": "民用爆炸物品供应单位", "defiance": "停产后仍在作业", "danger": "可燃物堆放",
        "takes_effect_at": told.isoformat()}


def h_lift_compulsory_measures(world):
    import datetime

    from django.utils import timezone

    from hazards import services as hz

    h, order = _site_order(world)
    told = timezone.now()
    measure = hz.take_compulsory_measures(
        world.user("commerce_lead"), order, stop_power=True, notified_units="供电公司", defiance="停产后仍在作业",
        danger="可燃物堆放", enterprise_notified_at=told, takes_effect_at=told + datetime.timedelta(hours=24))
    return "commerce", (f"/api/v1/hazards/{h.pk}/site-orders/{order.pk}/compulsory-measures/{measure.pk}/lift/"), {
        "note": "该单位已停止作业"}


def h_classify(world):
    return "commerce", _act(_hazard(world, state="closed"), "classify"), {"category": "behaviour"}


def h_reclassify(world):
    h = _hazard(world, state="closed", category="state")
    return "enterprise", _act(h, "reclassify"), {"category": "management", "reason": "登记时选错"}


def h_reopen(world):
    return "commerce", _act(_hazard(world, state="closed"), "reopen"), {"reason": "再次发现", "deadline": _iso(15)}


# ---------------------------------------------------------------- supervision (挂牌督办)

def _listing(world, approve=False, closed=False, delisting=False):
    from supervision import services as sv

    h = _hazard(world, "major", state="rectifying")
    listing = sv.propose_listing(world.user("committee"), hazard=h, responsible_department=world.org("commerce"),
                                 deadline=_today() + datetime.timedelta(days=30), requirements="限期整改")
    if approve:
        listing = sv.approve(world.user("committee_lead"), listing)
    if closed:
        from hazards import services as hz

        h.refresh_from_db()
        hz.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
        hz.accept(world.user("commerce_lead"), h, opinion="合格")
    if delisting:
        listing = sv.request_delisting(world.user("enterprise"), listing)
    return listing


def l_request_extension(world):
    return "enterprise", f"/api/v1/listings/{_listing(world, approve=True).pk}/request-extension/", \
        {"new_deadline": _iso(60), "reason": "设备到货延迟"}


def _extension_pending(world):
    from hazards import services as hz
    from hazards.models import Hazard

    listing = _listing(world, approve=True)
    hz.request_extension(world.user("enterprise"), Hazard.objects.get(pk=listing.hazard_id),
                         new_deadline=_today() + datetime.timedelta(days=60), reason="设备到货延迟")
    return f"/api/v1/listings/{listing.pk}/decide-extension/"


def l_decide_extension(world):
    return "committee_lead", _extension_pending(world), {"approve": True, "note": "同意"}


def l_refuse_extension(world):
    return "committee_lead", _extension_pending(world), {"approve": False, "note": "理由不充分"}


def l_approve(world):
    return "committee_lead", f"/api/v1/listings/{_listing(world).pk}/approve/", {"note": "同意"}


def l_decline(world):
    return "committee_lead", f"/api/v1/listings/{_listing(world).pk}/decline/", {"reason": "不符合挂牌条件"}


def l_request_delisting(world):
    return "enterprise", f"/api/v1/listings/{_listing(world, approve=True, closed=True).pk}/request-delisting/", \
        {"note": "已销号"}


def l_decide_delisting(world):
    listing = _listing(world, approve=True, closed=True, delisting=True)
    return "committee_lead", f"/api/v1/listings/{listing.pk}/decide-delisting/", {"accept": True}


def l_refuse_delisting(world):
    listing = _listing(world, approve=True, closed=True, delisting=True)
    return "committee_lead", f"/api/v1/listings/{listing.pk}/decide-delisting/", {"accept": False, "reason": "材料不全"}


# ---------------------------------------------------------------- tips

def _tip(world, state="submitted"):
    from accounts.models import Sector
    from tips import services as ts

    ent = world.ent_commerce
    tip, _code = ts.submit_tip(None, region=ent.region, sector=Sector.objects.get(code="commerce"), address="示范路1号",
                               enterprise=ent, content="仓库堆放货物堵塞疏散通道，安全出口上锁。")
    handler = world.user("commerce")
    if state in ("accepted", "verifying", "verified"):
        tip = ts.accept(handler, tip)
    if state in ("verifying", "verified"):
        tip = ts.start_verification(handler, tip)
    if state == "verified":
        tip = ts.verify(handler, tip, result="unfounded", note="现场核查未发现")
    return tip


def t_accept(world):
    return "commerce", f"/api/v1/tips/{_tip(world).pk}/accept/", {"note": "受理"}


def t_start_verification(world):
    return "commerce", f"/api/v1/tips/{_tip(world, 'accepted').pk}/start-verification/", {"note": ""}


def t_verify(world):
    return "commerce", f"/api/v1/tips/{_tip(world, 'verifying').pk}/verify/", {"result": "unfounded", "note": "未发现"}


def t_transfer(world):
    return "commerce", f"/api/v1/tips/{_tip(world).pk}/transfer/", {"unit": "区消防救援支队", "reason": "属消防职责"}


def t_close(world):
    return "commerce", f"/api/v1/tips/{_tip(world, 'verified').pk}/close/", {"note": "经核查不属实"}


def t_feedback(world):
    """向举报人反馈 once the handling ended (verification); the same text again is already done."""
    return "commerce", f"/api/v1/tips/{_tip(world, 'verified').pk}/feedback/", {"text": "经核查，举报事项不属实。"}


RECIPES = {
    "hazards_action:report": h_report, "hazards_action:submit_plan": h_submit_plan,
    "hazards_action:close_now": h_close_now, "hazards_action:submit_completion": h_submit_completion,
    "hazards_action:accept": h_accept, "hazards_action:reject": h_reject,
    "hazards_action:request_extension": h_request_extension, "hazards_action:decide_extension": h_decide_extension,
    "hazards_action:merge": h_merge, "hazards_action:void": h_void, "hazards_action:reopen": h_reopen,
    "hazards_action:classify": h_classify, "hazards_action:reclassify": h_reclassify,
    "v1_hazards_site_orders_create": h_site_order, "v1_hazards_site_orders_lift_create": h_lift_site_order,
    "v1_hazards_site_orders_compulsory_measures_create": h_compulsory_measures,
    "v1_hazards_site_orders_compulsory_measures_lift_create": h_lift_compulsory_measures,
    "v1_listings_approve_create": l_approve, "v1_listings_decline_create": l_decline,
    "v1_listings_request_delisting_create": l_request_delisting,
    "v1_listings_decide_delisting_create": l_decide_delisting,
    "v1_listings_decide_delisting_create:refuse": l_refuse_delisting,
    "v1_listings_request_extension_create": l_request_extension,
    "v1_listings_decide_extension_create": l_decide_extension,
    "v1_listings_decide_extension_create:refuse": l_refuse_extension,
    "v1_tips_accept_create": t_accept, "v1_tips_start_verification_create": t_start_verification,
    "v1_tips_verify_create": t_verify, "v1_tips_transfer_create": t_transfer, "v1_tips_close_create": t_close,
    "v1_tips_feedback_create": t_feedback,
}
