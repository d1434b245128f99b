"""Generated inspections: signed records with checklist lines (linked to existing inspection-channel
hazards where possible), spot-checks of self-checks (rows 2.1–2.9) and visits (3.1, 3.2, 4.8)."""

import datetime

from django.db import transaction

from bench.activity_common import DAYS, actor, at, event, unit_for
from bench.generator import weighted
from core.bulk import insert
from core.models import Event
from hazards.models import Hazard, HazardSource
from inspections.models import SPOT_FIELDS, Record, RecordInspector, RecordItem, SpotCheck, Visit

SPOT_SHARE, VISIT_SHARE = 0.5, 0.1  # spot-checks and visits per inspection record
SPOT_RATES = {"2.2": 0.08, "2.3": 0.10, "2.4": 0.12, "2.5": 0.10, "2.6": 0.07, "2.8": 0.15, "2.9": 0.06}
CONFORM_LINES = ["安全生产责任制落实情况", "安全出口和疏散通道", "消防设施器材", "电气线路敷设", "特种作业人员持证",
                 "有限空间作业管理", "危险化学品储存", "应急预案及演练", "安全教育培训记录", "隐患排查治理台账"]
RECORD_KINDS = [("routine", 60), ("special", 20), ("unannounced", 15), ("joint", 3), ("expert", 2)]


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
