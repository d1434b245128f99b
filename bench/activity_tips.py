"""Generated tips: routed, in every state, identities encrypted and tracking codes hashed as the
app does; verified tips with rewards decided, approved and paid (row 4.5)."""

import base64
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bench.activity_common import DAYS, SYSTEM, actor, amount_between, at, event
from bench.generator import weighted
from core.bulk import insert
from core.models import Event

# ---------------------------------------------------------------- tips

TIP_STATES = [("submitted", 8), ("accepted", 8), ("verifying", 10), ("verified", 8), ("reward_decided", 6),
              ("closed", 50), ("transferred", 5), ("duplicate", 5)]
TIP_PATH = ["submitted", "accepted", "verifying", "verified", "reward_decided", "closed"]
TIP_VERBS = {"accepted": "tip.accept", "verifying": "tip.start_verification", "verified": "tip.verify",
             "reward_decided": "tip.decide_reward", "closed": "tip.close"}
TIP_CONTENT = ["厂区内安全出口被货物堵塞，存在重大隐患", "车间电焊作业人员无证上岗，未办理动火审批", "仓库违规存放大量液化气瓶",
               "有限空间作业未检测未审批，工人直接进入", "夜间违规生产，消防设施长期损坏未修复"]


def gen_tips(rng, ents, counties, n_tips, today, batch, summary) -> int:
    from tips import protection
    from tips.deadlines import rule
    from tips.models import Holiday, Reward, RewardPolicy, Tip
    from tips.routing import route
    from tips.workdays import add_working_days

    rows = list(Holiday.objects.values_list("date", "is_workday"))
    holidays, workdays = {d for d, w in rows if not w}, {d for d, w in rows if w}
    rules = {}  # (stage, day) → (days, calendar?) under the rule version in force that day

    def due(stage, day):
        if (stage, day) not in rules:
            rules[stage, day] = rule(stage, day)
        days, calendar = rules[stage, day]
        if calendar:  # the row's 自然日 flag, as tips.deadlines.due reads it
            return day + datetime.timedelta(days=days)
        return add_working_days(day, days, holidays=holidays, workdays=workdays)

    policies = {p.code: p for p in RewardPolicy.objects.filter(code__in=["major", "ordinary"])}
    regions = {r.pk: r for c in counties.values() for r in c.townships}
    routes, units = {}, {u.org.pk: u for c in counties.values() for u in [c.committee, *c.departments]}
    n_events, originals = 0, []
    counts = {"tips": 0, "anonymous": 0, "named": 0, "states": {}, "paid": Decimal(0), "paid_anonymous": Decimal(0),
              "rewards": {}}
    for start in range(0, n_tips, batch):
        plans = []
        for _ in range(start, min(start + batch, n_tips)):
            ent = ents[rng.randrange(len(ents))]
            county, region = counties.get(ent.county_code), regions.get(ent.region_id)
            if county is None or region is None:
                continue
            sector_id = ent.sectors[0]
            key = (ent.county_code, sector_id)
            if key not in routes:
                from accounts.models import Sector

                org = route(region, Sector.objects.get(pk=sector_id))
                routes[key] = units.get(org.pk) if org else None
            unit = routes[key]
            if unit is None:
                continue
            state = weighted(rng, TIP_STATES)
            if state == "duplicate" and not originals:
                state = "submitted"
            path = {"transferred": ["submitted", "accepted", "transferred"], "duplicate": ["submitted", "closed"]}.get(
                state) or TIP_PATH[:TIP_PATH.index(state) + 1]
            result = weighted(rng, [("true", 55), ("partly", 20), ("unfounded", 25)]) if "verified" in path else ""
            if path[-1] == "closed" and "verified" in path and result != "unfounded" and rng.random() < 0.7:
                path = TIP_PATH  # verified true: rewarded, approved, paid, then closed
            elif path[-1] == "closed" and "verified" in path:
                path = [s for s in path if s != "reward_decided"]
            if state == "reward_decided" and result == "unfounded":
                result = "true"
            submitted = at(today - datetime.timedelta(days=rng.randrange(20, DAYS)), rng)
            times = [submitted]
            for _ in path[1:]:
                times.append(min(times[-1] + datetime.timedelta(days=rng.randrange(1, 8), minutes=rng.randrange(300)),
                                 timezone.now()))
            anonymous = rng.random() < 0.6
            internal = not anonymous and rng.random() < 0.15
            hotline = rng.random() < 0.2
            code = tracking_code(rng)
            tip = Tip(tracking_prefix=protection.code_prefix(code), tracking_hash=protection.code_hash(code),
                      channel="hotline" if hotline else "online", region_id=region.pk, address=f"{region.name}某路",
                      enterprise_id=ent.pk, enterprise_name=ent.name, sector_id=sector_id, content=rng.choice(TIP_CONTENT),
                      anonymous=anonymous, internal_whistleblower=internal, assigned_org_id=unit.org.pk,
                      status=path[-1], status_changed_at=times[-1], submitted_at=submitted,
                      accept_deadline=due("accept", submitted.date()),
                      entered_by_id=unit.officers[0].pk if hotline else None)
            if not anonymous:
                tip.reporter_name_enc = protection.encrypt(f"举报人{rng.randrange(10000):04d}")
                tip.reporter_phone_enc = protection.encrypt(f"139{rng.randrange(10 ** 8):08d}")
            tip.set_region_codes(region)
            if "accepted" in path:
                tip.accepted_at = times[1]
                tip.handle_deadline = due("handle", times[1].date())
            if "verified" in path:
                tip.verified_at = times[path.index("verified")]
                tip.result, tip.result_note = result, "经现场核查" + {"true": "，举报属实。", "partly": "，部分属实。",
                                                                     "unfounded": "，举报不属实。"}[result]
                tip.reward_deadline = due("reward", tip.verified_at.date())
                tip.fine_amount = amount_between(rng, 5000, 100_000) if result != "unfounded" and rng.random() < 0.5 else None
            if path[-1] in ("closed", "transferred"):
                tip.closed_at = times[-1]
            if state == "transferred":
                tip.transfer_unit, tip.transfer_reason = "市场监督管理局", "不属于本单位职责"
            if state == "duplicate":
                tip.duplicate_of_id = rng.choice(originals)
                tip.feedback = "该举报与已受理的举报重复，已合并办理。"
            plans.append((tip, unit, county, path, times, state))
        with transaction.atomic():
            insert(Tip, [p[0] for p in plans], batch)
            events, rewards = [], []
            for tip, unit, _county, path, times, state in plans:
                originals.append(tip.pk)
                counts["tips"] += 1
                counts["anonymous" if tip.anonymous else "named"] += 1
                counts["states"][tip.status] = counts["states"].get(tip.status, 0) + 1
                repr_ = f"JB{tip.county_code}-{tip.pk:06d}"
                officer, leader = actor(unit.officers[0], unit), actor(unit.leader, unit)
                events.append(event(officer if tip.channel == "hotline" else SYSTEM, "tip.submitted", "tips.tip", tip.pk,
                                    repr_, times[0], to_state="submitted",
                                    data={"channel": tip.channel, "assigned_org": unit.org.pk, "files": 0}))
                for prev, new, when in zip(path, path[1:], times[1:]):
                    verb = TIP_VERBS.get(new)
                    data, note = {}, ""
                    if state == "transferred" and new == "transferred":
                        verb, note, data = "tip.transfer", tip.transfer_reason, {"unit": tip.transfer_unit}
                    elif state == "duplicate":
                        verb, data = "tip.mark_duplicate", {"original": tip.duplicate_of_id}
                        note = f"与JB{tip.county_code}-{tip.duplicate_of_id:06d}重复"
                    elif new == "verified":
                        note, data = tip.result_note, {"result": tip.result, "hazard": None}
                    events.append(event(officer, verb, "tips.tip", tip.pk, repr_, when, from_state=prev, to_state=new,
                                        note=note, data=data))
                    if new == "reward_decided":
                        policy = policies["major" if tip.fine_amount else "ordinary"]
                        amount = policy.fixed_amount if not tip.fine_amount else min(
                            max(tip.fine_amount * policy.percent / 100, policy.min_amount), policy.max_amount)
                        if tip.internal_whistleblower:
                            amount = amount * (100 + policy.internal_topup_percent) / 100
                        amount = amount.quantize(Decimal("0.01"))
                        status = "paid" if path[-1] == "closed" else rng.choice(["decided", "approved"])
                        approved = when + datetime.timedelta(days=rng.randrange(1, 4))
                        paid = approved + datetime.timedelta(days=rng.randrange(1, 5))
                        if path[-1] == "closed":
                            paid = min(paid, times[-1] - datetime.timedelta(hours=1))
                            approved = min(approved, paid - datetime.timedelta(hours=1))
                        r = Reward(tip_id=tip.pk, line="reporter", policy=policy, fine_amount=tip.fine_amount, amount=amount,
                                   organisation_id=unit.org.pk, status=status, decided_by_id=unit.officers[0].pk,
                                   decided_at=when, collect_note="匿名举报人凭举报查询码到承办单位领取。" if tip.anonymous else "")
                        info = {"line": "reporter", "amount": str(amount)}
                        events.append(event(officer, "tip.reward_decided", "tips.tip", tip.pk, repr_, when, data=info))
                        if status in ("approved", "paid"):
                            r.approved_by_id, r.approved_at = unit.leader.pk, approved
                            events.append(event(leader, "tip.reward_approved", "tips.tip", tip.pk, repr_, approved, data=info))
                        if status == "paid":
                            r.paid_on, r.method, r.collected = timezone.localdate(paid), "银行转账", True
                            events.append(event(officer, "tip.reward_paid", "tips.tip", tip.pk, repr_, paid,
                                                data={**info, "paid_on": r.paid_on.isoformat()}))
                            counts["paid"] += amount
                            counts["paid_anonymous"] += amount if tip.anonymous else 0
                        counts["rewards"][status] = counts["rewards"].get(status, 0) + 1
                        rewards.append(r)
            insert(Reward, rewards, batch)
            insert(Event, events, batch)
            n_events += len(events)
    summary["tips"] = counts["tips"]
    summary["tip_counts"] = counts
    return n_events


# ---------------------------------------------------------------- tracking codes

def tracking_code(rng) -> str:
    raw = base64.b32encode(rng.getrandbits(96).to_bytes(12, "big")).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))
