"""Supervision activity for the generated dataset: inspection records, spot-checks, visits,
enforcement cases and tips — written through bulk paths exactly as the services would write
them (each state change with its event), for the dispatch table rows 2.1–2.9, 3.1–3.10, 4.5, 4.8.

Randomness comes from its own ``random.Random`` derived from the profile seed, so the hazard
data (and its fingerprint) does not change. Same seed → same activity rows.
"""

import base64
import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Competence, Membership, Organisation
from core.bulk import insert
from core.models import Event
from enterprises.models import Enterprise
from hazards.models import Hazard, HazardSource
from inspections.models import SPOT_FIELDS, Record, RecordInspector, RecordItem, SpotCheck, Visit
from regions.models import Region

# records, cases, tips of the whole profile region
SCALE = {"county": (2_000, 300, 200), "province": (200_000, 30_000, 20_000), "tiny": (30, 10, 10)}
SPOT_SHARE, VISIT_SHARE = 0.5, 0.1  # spot-checks and visits per inspection record
SPOT_RATES = {"2.2": 0.08, "2.3": 0.10, "2.4": 0.12, "2.5": 0.10, "2.6": 0.07, "2.8": 0.15, "2.9": 0.06}
CONFORM_LINES = ["安全生产责任制落实情况", "安全出口和疏散通道", "消防设施器材", "电气线路敷设", "特种作业人员持证",
                 "有限空间作业管理", "危险化学品储存", "应急预案及演练", "安全教育培训记录", "隐患排查治理台账"]
RECORD_KINDS = [("routine", 60), ("special", 20), ("unannounced", 15), ("joint", 3), ("expert", 2)]
DAYS = 360  # activity lies within the last DAYS days


def weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


@dataclass
class Unit:
    """A generated government organisation with the users who act for it."""

    org: Organisation
    officers: list = field(default_factory=list)
    leader: object = None


@dataclass
class County:
    region: Region
    committee: Unit
    departments: list
    by_sector: dict  # sector id → departments leading it
    comprehensive: Unit
    townships: list


def actor(user, unit: Unit) -> dict:
    m = user.membership
    return {"actor_id": user.pk, "actor_name": user.get_full_name() or user.get_username(),
            "actor_org_id": unit.org.pk, "actor_role": m.role}


SYSTEM = {"actor_id": None, "actor_name": "系统", "actor_org_id": None, "actor_role": "system"}


def event(who: dict, verb: str, object_type: str, obj_id: int, repr_: str, at, *, from_state="", to_state="", note="",
          data=None) -> Event:
    return Event(created_at=at, verb=verb, object_type=object_type, object_id=obj_id, object_repr=str(repr_)[:200],
                 from_state=from_state, to_state=to_state, note=note, data=data or {}, **who)


def at(day: datetime.date, rng, hour: int = 9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))) + datetime.timedelta(
        minutes=rng.randrange(480))


def load_counties(root: Region) -> dict[str, County]:
    User = get_user_model()
    counties = [root] if root.level == "county" else list(
        Region.objects.filter(level="county", path__startswith=root.path + "/").order_by("code"))
    users: dict[int, list] = {}
    for u in User.objects.filter(username__startswith="gen", membership__isnull=False).select_related(
            "membership").order_by("pk"):
        users.setdefault(u.membership.organisation_id, []).append(u)
    result = {}
    for county in counties:
        orgs = {o.pk: o for o in Organisation.objects.filter(region=county, is_active=True, kind__in=("committee", "department"))
                .select_related("department_type", "region").order_by("pk")}
        units = {}
        for pk, org in orgs.items():
            members = users.get(pk, [])
            officers = [u for u in members if u.membership.role == Membership.Role.OFFICER]
            if not officers:
                continue
            leader = next((u for u in members if u.membership.role == Membership.Role.LEADER), None)
            units[pk] = Unit(org, officers, leader)
        committee = next((u for u in units.values() if u.org.kind == "committee"), None)
        departments = [u for u in units.values() if u.org.kind == "department" and u.leader is not None]
        if committee is None or not departments:
            continue
        by_sector: dict[int, list] = {}
        for dept_id, sector_id in Competence.objects.filter(department_id__in=[u.org.pk for u in departments],
                                                           role=Competence.Role.LEAD).values_list("department_id", "sector_id"):
            by_sector.setdefault(sector_id, []).append(units[dept_id])
        comprehensive = next((u for u in departments if u.org.department_type and u.org.department_type.comprehensive),
                             departments[0])
        townships = list(Region.objects.filter(level="township", path__startswith=county.path + "/").order_by("code"))
        result[county.code] = County(county, committee, departments, by_sector, comprehensive, townships)
    return result


@dataclass
class Ent:
    pk: int
    name: str
    region_id: int
    county_code: str
    principal: str
    sectors: list

    def __str__(self) -> str:
        return self.name


def load_enterprises(prefix: str) -> list[Ent]:
    ents = [Ent(pk, name, region_id, county, principal, []) for pk, name, region_id, county, principal in
            Enterprise.objects.filter(name__startswith=prefix).order_by("pk").values_list(
                "pk", "name", "region_id", "county_code", "principal_name")]
    index = {e.pk: e for e in ents}
    for ent_id, sector_id in Enterprise.sectors.through.objects.filter(enterprise__name__startswith=prefix).order_by(
            "enterprise_id", "sector_id").values_list("enterprise_id", "sector_id"):
        index[ent_id].sectors.append(sector_id)
    return ents


def unit_for(county: County, ent: Ent, rng) -> Unit:
    """A department leading one of the enterprise's sectors (else the comprehensive one)."""
    candidates = [u for s in ent.sectors for u in county.by_sector.get(s, [])]
    return rng.choice(candidates) if candidates else county.comprehensive


# ---------------------------------------------------------------- inspections

def gen_inspections(rng, ents, counties, n_records, today, batch, summary) -> int:
    hazards = {}  # enterprise id → inspection-channel hazards found in the window, not yet used
    for row in (Hazard.objects.filter(enterprise_id__in=[e.pk for e in ents], channel=Hazard.Channel.INSPECTION,
                                      found_on__gte=today - datetime.timedelta(days=DAYS))
                .order_by("pk").values("pk", "enterprise_id", "found_on", "grade", "deadline", "description")):
        hazards.setdefault(row["enterprise_id"], []).append(row)
    n_events = 0
    spot_ents, spot_found = set(), {code: set() for code in SPOT_FIELDS}
    visit_counts = {k: 0 for k in Visit.Kind.values}
    for start in range(0, n_records, batch):
        recs, spots, visits = [], [], []
        for _ in range(start, min(start + batch, n_records)):
            ent = ents[rng.randrange(len(ents))]
            county = counties.get(ent.county_code)
            if county is None:
                continue
            unit = unit_for(county, ent, rng)
            found = hazards.get(ent.pk)
            hazard = found.pop() if found and rng.random() < 0.6 else None
            day = hazard["found_on"] if hazard else today - datetime.timedelta(days=rng.randrange(DAYS))
            inspectors = rng.sample(unit.officers, min(2, len(unit.officers)))
            created = at(day, rng)
            rec = Record(enterprise_id=ent.pk, organisation_id=unit.org.pk, kind=weighted(rng, RECORD_KINDS),
                         inspected_on=day, location="生产经营场所", summary="现场检查，详见检查项目。",
                         status=Record.Status.LOCKED, created_by_id=inspectors[0].pk, created_at=created)
            signed = [created + datetime.timedelta(minutes=30 + 10 * i + rng.randrange(10)) for i in range(len(inspectors))]
            rec.locked_at = signed[-1]
            lines = rng.sample(CONFORM_LINES, 3)
            items = [RecordItem(text=t, result=RecordItem.Result.CONFORM if rng.random() < 0.9 else RecordItem.Result.NA,
                                sort_order=i) for i, t in enumerate(lines)]
            if hazard:
                items.append(RecordItem(text="现场发现隐患", result=RecordItem.Result.HAZARD, note=hazard["description"],
                                        grade=hazard["grade"], deadline=hazard["deadline"], hazard_id=hazard["pk"],
                                        sort_order=10000))
            recs.append((rec, ent, unit, inspectors, signed, items, hazard))
            if rng.random() < SPOT_SHARE:
                sc = SpotCheck(enterprise_id=ent.pk, organisation_id=unit.org.pk, checked_on=day, created_by_id=inspectors[0].pk,
                               created_at=created + datetime.timedelta(hours=1))
                for code, rate in SPOT_RATES.items():
                    setattr(sc, SPOT_FIELDS[code], rng.random() < rate)
                sc.q2_6_via_permit_records = sc.q2_6 and rng.random() < 0.4
                subs = [rng.random() < 0.04 for _ in range(4)]
                (sc.q2_7_contractor_unqualified, sc.q2_7_no_agreement, sc.q2_7_unclear_duties, sc.q2_7_not_unified) = subs
                sc.q2_7 = any(subs)
                sc.notes = {c: "现场抽查发现" for c, f in SPOT_FIELDS.items() if getattr(sc, f)}
                spots.append((sc, ent, unit, inspectors[0]))
            if rng.random() < VISIT_SHARE:
                kind = weighted(rng, [("help_enterprise", 60), ("help_township", 25), ("supervision", 15)])
                if kind == "supervision":
                    by, who = county.committee, county.committee.officers[0]
                    v = Visit(kind=kind, target_organisation_id=unit.org.pk, content="督导检查安全生产工作落实情况")
                else:
                    by, who = unit, inspectors[0]
                    v = Visit(kind=kind, content="帮扶指导隐患排查整治")
                    if kind == "help_township":
                        v.township_id = rng.choice(county.townships).pk
                    else:
                        v.enterprise_id = ent.pk
                v.organisation_id, v.visited_on, v.created_by_id = by.org.pk, day, who.pk
                v.created_at = created + datetime.timedelta(hours=2)
                v.set_region_codes(county.region)
                visits.append((v, by, who))
        with transaction.atomic():
            insert(Record, [r[0] for r in recs], batch)
            signatures, all_items, events, sources = [], [], [], []
            for rec, ent, unit, inspectors, signed, items, hazard in recs:
                repr_ = f"JC-{rec.pk:06d} {ent.name}"
                first = actor(inspectors[0], unit)
                events.append(event(first, "inspection.record_created", "inspections.record", rec.pk, repr_, rec.created_at,
                                    to_state="draft", data={"inspectors": [u.pk for u in inspectors], "kind": rec.kind}))
                for item in items:
                    item.record_id = rec.pk
                    all_items.append(item)
                for user, when in zip(inspectors, signed):
                    signatures.append(RecordInspector(record_id=rec.pk, user_id=user.pk, signed_at=when))
                    events.append(event(actor(user, unit), "inspection.signed", "inspections.record", rec.pk, repr_, when))
                events.append(event(actor(inspectors[-1], unit), "inspection.locked", "inspections.record", rec.pk, repr_,
                                    signed[-1], from_state="draft", to_state="locked"))
                if hazard:
                    sources.append((hazard["pk"], rec.pk, unit.org.pk))
            insert(RecordInspector, signatures, batch)
            insert(RecordItem, all_items, batch)
            by_record = {r[0].pk: r for r in recs}
            for item in all_items:
                rec, ent, unit, inspectors, signed, _, _ = by_record[item.record_id]
                events.append(event(actor(inspectors[0], unit), "inspection.item_set", "inspections.record", rec.pk,
                                    f"JC-{rec.pk:06d} {ent.name}", rec.created_at + datetime.timedelta(minutes=5),
                                    data={"item": item.pk, "result": item.result}))
            insert(SpotCheck, [s[0] for s in spots], batch)
            summary["spot_checks"] = summary.get("spot_checks", 0) + len(spots)
            for sc, ent, unit, user in spots:
                events.append(event(actor(user, unit), "inspection.spot_check", "inspections.spotcheck", sc.pk,
                                    f"{ent.name} 抽查 {sc.checked_on}", sc.created_at, data={"answers": sc.answers()}))
                spot_ents.add(ent.pk)
                for code, f in SPOT_FIELDS.items():
                    if getattr(sc, f):
                        spot_found[code].add(ent.pk)
            insert(Visit, [v[0] for v in visits], batch)
            for v, by, who in visits:
                events.append(event(actor(who, by), "inspection.visit", "inspections.visit", v.pk,
                                    f"{v.get_kind_display()} {v.visited_on}", v.created_at, data={"kind": v.kind}))
                visit_counts[v.kind] += 1
            if sources:
                rows = {s.hazard_id: s for s in HazardSource.objects.filter(hazard_id__in=[h for h, _, _ in sources],
                                                                             channel=Hazard.Channel.INSPECTION, reference="")}
                for hazard_id, rec_id, org_id in sources:
                    if hazard_id in rows:
                        rows[hazard_id].reference, rows[hazard_id].organisation_id = f"inspections.record:{rec_id}", org_id
                HazardSource.objects.bulk_update(list(rows.values()), ["reference", "organisation"], batch_size=1000)
            insert(Event, events, batch)
            n_events += len(events)
        summary["records"] = summary.get("records", 0) + len(recs)
    summary["spot_enterprises"] = len(spot_ents)
    summary["spot_found"] = {c: len(s) for c, s in spot_found.items()}
    summary["visits"] = visit_counts
    return n_events


# ---------------------------------------------------------------- enforcement

CASE_STAGES = [("closed", 55), ("executing", 12), ("decided", 10), ("notified", 8), ("investigating", 8), ("filed", 4),
               ("withdrawn", 3)]
STAGE_PATH = ["filed", "investigating", "notified", "decided", "executing", "closed"]
CASE_TITLES = ["未采取措施消除事故隐患", "未建立事故隐患排查治理制度", "重大事故隐患排查治理情况未按规定报告",
               "未如实记录事故隐患排查治理情况", "关闭、破坏安全监控报警设备", "未建立安全风险分级管控制度"]
ENTITY_ARTICLES = [(60, 1000, 50_000), (52, 5000, 100_000), (30, 5000, 100_000), (40, 5000, 50_000), (50, 5000, 100_000)]


def _amount(rng, low, high) -> Decimal:
    return Decimal(rng.randrange(low // 100, high // 100 + 1) * 100)


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
    counts = {"penalties": 0, "amount": Decimal(0), "double": 0, "transfers": 0, "suspended_enterprises": set(),
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
                        closed_on=days[-1] if path[-1] == "closed" else None)
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
                        amount = _amount(rng, low, high)
                        decide(entity, "penalty", "case.penalty", article=articles[sort], amount=amount)
                        counts["penalties"] += 1
                        counts["amount"] += amount
                        if principal is not None and rng.random() < 0.4:  # 一案双罚
                            amount = _amount(rng, 20_000, 50_000)
                            decide(principal, "penalty", "case.penalty", article=principal_article, amount=amount)
                            counts["penalties"] += 1
                            counts["amount"] += amount
                            counts["double"] += 1
                        if roll > 0.92 and ent.pk not in suspended:
                            decide(entity, "suspension", "case.suspension", reason="存在重大事故隐患，责令停产停业整顿")
                            counts["suspended_enterprises"].add(ent.pk)
                            events.append(event(officer, "enterprise.status", "enterprises.enterprise", ent.pk, ent.name,
                                                decided_at, from_state="operating", to_state="suspended",
                                                note=f"AJ{ent.county_code}-{case.pk:06d} 责令停产整顿"))
                            if path[-1] == "closed":
                                back = t[-1] - datetime.timedelta(hours=2)
                                decide(entity, "resumption", "case.resumption", reason="复查合格", _when=back)
                                events.append(event(officer, "enterprise.status", "enterprises.enterprise", ent.pk, ent.name,
                                                    back, from_state="suspended", to_state="operating",
                                                    note=f"AJ{ent.county_code}-{case.pk:06d} 复查合格，恢复生产经营"))
                            else:
                                suspended.add(ent.pk)
                        if principal is not None and rng.random() < 0.04:
                            decide(principal, "transfer", "case.transfer", reason="涉嫌危险作业罪，移送公安机关",
                                   dangerous=rng.random() < 0.5)
                            counts["transfers"] += 1
                    if rng.random() < 0.15:
                        kind = rng.choice(["exposure", "interview"])
                        measures.append((EnterpriseMeasure(enterprise_id=ent.pk, case_id=case.pk, kind=kind,
                                                           date=decided_at.date(), note="依法公开曝光/约谈企业负责人",
                                                           organisation_id=unit.org.pk, created_by_id=unit.officers[0].pk),
                                         officer, ent, decided_at))
                        counts["measure_enterprises"].add(ent.pk)
                    if path[-1] == "closed" and rng.random() < 0.06:
                        dangerous = rng.random() < 0.3
                        typical.append((TypicalCase(enterprise_id=ent.pk, case_id=case.pk, title=f"{ent.name}{case.title}案",
                                                    summary="典型执法案例。", dangerous_ops=dangerous, published_on=days[-1],
                                                    organisation_id=unit.org.pk), officer, repr_, t[-1]))
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
    counts["suspended_enterprises"] = len(counts["suspended_enterprises"])
    counts["measure_enterprises"] = len(counts["measure_enterprises"])
    summary["enforcement"] = counts
    return n_events


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
    from tips.models import Holiday, Reward, RewardPolicy, Tip
    from tips.routing import route
    from tips.services import deadline_days
    from tips.workdays import add_working_days

    rows = list(Holiday.objects.values_list("date", "is_workday"))
    holidays, workdays = {d for d, w in rows if not w}, {d for d, w in rows if w}
    limits = {stage: deadline_days(stage) for stage in ("accept", "handle", "reward")}

    def due(stage, day):
        return add_working_days(day, limits[stage], holidays=holidays, workdays=workdays)

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
                tip.fine_amount = _amount(rng, 5000, 100_000) if result != "unfounded" and rng.random() < 0.5 else None
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


def generate_activity(profile_name: str, seed: int, *, stdout=None, batch: int = 5000) -> dict:
    from bench.generator import PROFILES
    profile = PROFILES[profile_name]
    log = stdout.write if stdout else (lambda s: None)
    started = time.monotonic()
    prefix = f"GEN{profile.region_code}-{seed}-"
    ents = load_enterprises(prefix)
    if not ents:
        return {"activity": {}}
    if Record.objects.filter(enterprise__name__startswith=prefix).exists():
        log("activity already present\n")
        return {"activity": {"skipped": True}}
    rng = random.Random(f"activity-{profile_name}-{seed}")
    counties = load_counties(Region.objects.get(code=profile.region_code))
    today = timezone.localdate()
    n_records, n_cases, n_tips = SCALE[profile_name]
    summary: dict = {}
    n_events = gen_inspections(rng, ents, counties, n_records, today, batch, summary)
    log(f"inspections: {summary['records']} records ({time.monotonic() - started:.1f}s)\n")
    n_events += gen_cases(rng, ents, counties, n_cases, today, batch, summary)
    log(f"enforcement: {summary['cases']} cases ({time.monotonic() - started:.1f}s)\n")
    n_events += gen_tips(rng, ents, counties, n_tips, today, batch, summary)
    log(f"tips: {summary['tips']} tips ({time.monotonic() - started:.1f}s)\n")
    summary["events"] = n_events
    summary["seconds"] = round(time.monotonic() - started, 1)
    return {"activity": summary}
