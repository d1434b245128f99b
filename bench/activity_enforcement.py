"""Generated enforcement: cases at every stage with parties and decisions (penalties within the
article ranges, 一案双罚, 不予处罚, suspensions, transfers), measures, typical cases,
accountability and notices (rows 3.3–3.10)."""

import datetime
from decimal import Decimal

from django.db import transaction

from bench.activity_common import DAYS, actor, amount_between, at, event, unit_for
from bench.generator import weighted
from core.bulk import insert
from core.models import Event
from enterprises.models import Enterprise

# ---------------------------------------------------------------- enforcement

CASE_STAGES = [("closed", 55), ("executing", 12), ("decided", 10), ("notified", 8), ("investigating", 8), ("filed", 4),
               ("withdrawn", 3)]
STAGE_PATH = ["filed", "investigating", "notified", "decided", "executing", "closed"]
CASE_TITLES = ["未采取措施消除事故隐患", "未建立事故隐患排查治理制度", "重大事故隐患排查治理情况未按规定报告",
               "未如实记录事故隐患排查治理情况", "关闭、破坏安全监控报警设备", "未建立安全风险分级管控制度"]
ENTITY_ARTICLES = [(60, 1000, 50_000), (52, 5000, 100_000), (30, 5000, 100_000), (40, 5000, 50_000), (50, 5000, 100_000)]


def gen_cases(rng, ents, counties, n_cases, today, batch, summary) -> int:
    from enforcement.models import (
        Accountability,
        Case,
        CaseParty,
        Decision,
        EnterpriseMeasure,
        OversightNotice,
        PenaltyArticle,
        TypicalCase,
    )

    articles = {a.sort_order: a for a in PenaltyArticle.objects.all()}
    principal_article = articles[10]  # art. 94: 20,000–50,000 元 for the principal
    n_events, suspended = 0, set()
    counts = {"penalties": 0, "amount": Decimal(0), "double": 0, "transfers": set(), "suspended_enterprises": set(),
              "measure_enterprises": set(), "typical": 0, "typical_dangerous": 0, "accountability": 0, "notices": 0,
              "no_penalty": 0}
    for start in range(0, n_cases, batch):
        plans = []
        for _ in range(start, min(start + batch, n_cases)):
            ent = ents[rng.randrange(len(ents))]
            county = counties.get(ent.county_code)
            if county is None:
                continue
            unit = unit_for(county, ent, rng)
            stage = weighted(rng, CASE_STAGES)
            opened = today - datetime.timedelta(days=rng.randrange(30, DAYS))
            days = [opened]
            path = ["filed", "investigating", "closed"] if stage == "withdrawn" else \
                STAGE_PATH[:STAGE_PATH.index(stage) + 1]
            for _ in path[1:]:
                days.append(min(days[-1] + datetime.timedelta(days=rng.randrange(1, 20)), today))
            case = Case(enterprise_id=ent.pk, origin="", title=rng.choice(CASE_TITLES), facts="经调查取证查明上述违法事实。",
                        stage=path[-1], opened_by_org_id=unit.org.pk, opened_by_id=unit.officers[0].pk, opened_on=opened,
                        closed_on=days[-1] if path[-1] == "closed" else None, **ent.codes)
            plans.append((case, ent, county, unit, path, days))
        with transaction.atomic():
            insert(Case, [p[0] for p in plans], batch)
            parties = []
            for case, ent, *_ in plans:
                parties.append(CaseParty(case_id=case.pk, kind="entity", role="entity", name=ent.name))
                if ent.principal:
                    parties.append(CaseParty(case_id=case.pk, kind="person", role="principal", name=ent.principal,
                                             position="主要负责人"))
            insert(CaseParty, parties, batch)
            party_of = {(p.case_id, p.role): p for p in parties}
            events, decisions, measures, typical, account, notices = [], [], [], [], [], []
            resumptions = []
            for case, ent, county, unit, path, days in plans:
                officer = actor(unit.officers[0], unit)
                repr_ = f"AJ{ent.county_code}-{case.pk:06d} {case.title[:30]}"
                t = [at(d, rng) for d in days]
                events.append(event(officer, "case.opened", "enforcement.case", case.pk, repr_, t[0], to_state="filed",
                                    data={"enterprise": ent.pk, "origin": ""}))
                decided_at = t[path.index("decided")] - datetime.timedelta(hours=1) if "decided" in path else None
                entity, principal = party_of[(case.pk, "entity")], party_of.get((case.pk, "principal"))

                def decide(party, kind, verb, *, article=None, amount=Decimal(0), reason="", dangerous=False,
                           _case=case, _unit=unit, _repr=repr_, _when=decided_at, _officer=officer, _day=None,
                           _out=decisions):
                    d = Decision(case_id=_case.pk, party_id=party.pk, kind=kind, article=article, amount=amount, reason=reason,
                                 dangerous_ops=dangerous, decided_on=_day or _when.date(), decided_by_id=_unit.officers[0].pk,
                                 decided_by_org_id=_unit.org.pk)
                    _out.append((d, _officer, verb, _repr, _when, party.name))
                    return d

                if decided_at is not None:
                    roll = rng.random()
                    if roll < 0.12:
                        decide(entity, "no_penalty", "case.no_penalty",
                               reason="当事人自查发现重大事故隐患，已按规定报告并正在有效整改，不予行政处罚。")
                        counts["no_penalty"] += 1
                    else:
                        sort, low, high = rng.choice(ENTITY_ARTICLES)
                        amount = amount_between(rng, low, high)
                        decide(entity, "penalty", "case.penalty", article=articles[sort], amount=amount)
                        counts["penalties"] += 1
                        counts["amount"] += amount
                        if principal is not None and rng.random() < 0.4:  # 一案双罚
                            amount = amount_between(rng, 20_000, 50_000)
                            decide(principal, "penalty", "case.penalty", article=principal_article, amount=amount)
                            counts["penalties"] += 1
                            counts["amount"] += amount
                            counts["double"] += 1
                        if roll > 0.92 and ent.pk not in suspended:
                            order = decide(entity, "suspension", "case.suspension", article=articles[40],  # 99(四) 情节严重的
                                           reason="存在重大事故隐患，责令停产停业整顿")
                            counts["suspended_enterprises"].add(ent.pk)
                            events.append(event(officer, "enterprise.status", "enterprises.enterprise", ent.pk, ent.name,
                                                decided_at, from_state="operating", to_state="suspended",
                                                note=f"AJ{ent.county_code}-{case.pk:06d} 责令停产整顿"))
                            if path[-1] == "closed":
                                back = t[-1] - datetime.timedelta(hours=2)
                                back_decision = decide(entity, "resumption", "case.resumption", reason="复查合格", _when=back,
                                                       _out=resumptions)
                                back_decision.lifts = order  # the suspension it lifts: its id once inserted
                                events.append(event(officer, "enterprise.status", "enterprises.enterprise", ent.pk, ent.name,
                                                    back, from_state="suspended", to_state="operating",
                                                    note=f"AJ{ent.county_code}-{case.pk:06d} 复查合格，恢复生产经营"))
                            else:
                                suspended.add(ent.pk)
                        if principal is not None and rng.random() < 0.04:
                            decide(principal, "transfer", "case.transfer", reason="涉嫌危险作业罪，移送公安机关",
                                   dangerous=rng.random() < 0.5)
                            counts["transfers"].add(principal.name)  # 3.5 counts persons (by name)
                    if rng.random() < 0.15:
                        kind = rng.choice(["exposure", "interview"])
                        measures.append((EnterpriseMeasure(enterprise_id=ent.pk, case_id=case.pk, kind=kind,
                                                           date=decided_at.date(), note="依法公开曝光/约谈企业负责人",
                                                           organisation_id=unit.org.pk, created_by_id=unit.officers[0].pk,
                                                           **ent.codes),
                                         officer, ent, decided_at))
                        counts["measure_enterprises"].add(ent.pk)
                    if path[-1] == "closed" and rng.random() < 0.06:
                        dangerous = rng.random() < 0.3
                        typical.append((TypicalCase(enterprise_id=ent.pk, case_id=case.pk, title=f"{ent.name}{case.title}案",
                                                    summary="典型执法案例。", dangerous_ops=dangerous, published_on=days[-1],
                                                    organisation_id=unit.org.pk, **ent.codes), officer, repr_, t[-1]))
                        counts["typical"] += 1
                        counts["typical_dangerous"] += dangerous
                for prev, state, when in zip(path, path[1:], t[1:]):
                    action = {"investigating": "investigate", "notified": "notify", "decided": "decide",
                              "executing": "execute", "closed": "close"}[state]
                    note = "经调查不构成违法，撤销案件" if prev == "investigating" and state == "closed" else ""
                    events.append(event(officer, f"case.{action}", "enforcement.case", case.pk, repr_, when,
                                        from_state=prev, to_state=state, note=note))
                if rng.random() < 0.1:  # 责任倒查, 约谈通报 by the county committee office
                    committee = actor(county.committee.officers[0], county.committee)
                    row = Accountability(person_name=f"监管人员{case.pk}", person_position="执法人员", measure="诫勉谈话",
                                         reason="监管失职", date=days[-1], case_id=case.pk, organisation_id=county.committee.org.pk)
                    row.set_region_codes(county.region)
                    account.append((row, committee, t[-1]))
                    notice = OversightNotice(target_id=unit.org.pk, kind=rng.choice(["interview", "notice"]), date=days[-1],
                                             reason="隐患整治不力", organisation_id=county.committee.org.pk)
                    notice.set_region_codes(county.region)
                    notices.append((notice, committee, t[-1]))
            insert(Decision, [d[0] for d in decisions], batch)
            for d, *_ in resumptions:  # after the suspensions they lift, whose ids are known now
                d.lifts_id = d.lifts.pk
            insert(Decision, [d[0] for d in resumptions], batch)
            decisions += resumptions
            for d, who, verb, repr_, when, name in decisions:
                events.append(event(who, verb, "enforcement.case", d.case_id, repr_, when,
                                    data={"decision": d.pk, "kind": d.kind, "party": name, "amount": str(d.amount)}))
            insert(EnterpriseMeasure, [m[0] for m in measures], batch)
            for m, who, ent, when in measures:
                events.append(event(who, f"enforcement.{m.kind}", "enterprises.enterprise", ent.pk, ent.name, when,
                                    note=m.note, data={"measure": m.pk}))
            insert(TypicalCase, [x[0] for x in typical], batch)
            for x, who, repr_, when in typical:
                events.append(event(who, "case.published", "enforcement.case", x.case_id, repr_, when,
                                    data={"typical": x.pk, "dangerous_ops": x.dangerous_ops}))
            insert(Accountability, [x[0] for x in account], batch)
            for x, who, when in account:
                events.append(event(who, "enforcement.accountability", "enforcement.accountability", x.pk, str(x), when,
                                    data={"person": x.person_name}))
            insert(OversightNotice, [x[0] for x in notices], batch)
            for x, who, when in notices:
                events.append(event(who, f"enforcement.notice_{x.kind}", "enforcement.oversightnotice", x.pk, str(x), when,
                                    data={"target": x.target_id}))
            counts["accountability"] += len(account)
            counts["notices"] += len(notices)
            insert(Event, events, batch)
            n_events += len(events)
        summary["cases"] = summary.get("cases", 0) + len(plans)
    if suspended:
        Enterprise.objects.filter(pk__in=suspended).update(status=Enterprise.Status.SUSPENDED)
    counts["transfers"] = len(counts["transfers"])
    counts["suspended_enterprises"] = len(counts["suspended_enterprises"])
    counts["measure_enterprises"] = len(counts["measure_enterprises"])
    summary["enforcement"] = counts
    return n_events
