"""Reproducible dataset generator (county / province profiles) through bulk paths.

The rows it writes are the rows the services would write — hazards with their region codes,
sources and a full event trail (registered → … → current state) — so statistics, the ledger,
the dispatch table and the alerts cannot tell the difference. Same seed → same data.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, Sector
from accounts.reference import load_reference_data
from core.bulk import insert
from core.models import Event
from enterprises.models import Enterprise
from enterprises.validators import make_credit_code
from hazards import tallies
from hazards.models import AlertSchedule, Hazard, HazardSource
from hazards.search import tokens as search_tokens
from regions.models import Region


@dataclass(frozen=True)
class Profile:
    name: str
    region_code: str  # county (county profile) or province (province profile)
    enterprises: int
    hazards: int
    major_share: float


PROFILES = {
    "county": Profile("county", "120105", 1_000, 20_000, 0.02),
    "province": Profile("province", "42", 100_000, 1_000_000, 0.005),
    "tiny": Profile("tiny", "120105", 60, 600, 0.05),  # tests
}

SECTOR_WEIGHTS = [("commerce", 30), ("light_industry", 12), ("machinery", 10), ("construction", 10), ("hazchem", 6),
                  ("building_materials", 5), ("road_transport", 5), ("gas", 3), ("metallurgy", 2), ("nonferrous", 2),
                  ("textile", 3), ("tourism", 3), ("hospital", 2), ("campus", 3), ("special_equipment", 2), ("emerging", 2)]
CHANNELS = [("self_check", 55), ("enterprise_third_party", 8), ("inspection", 25), ("supervision", 5), ("tip", 4),
            ("government_third_party", 2), ("accident", 1)]
STATUSES = [("closed", 62), ("rectifying", 18), ("pending_acceptance", 5), ("registered", 10), ("merged", 3), ("void", 2)]
PATHS = {
    "registered": ["registered"],
    "rectifying": ["registered", "rectifying"],
    "pending_acceptance": ["registered", "rectifying", "pending_acceptance"],
    "closed": ["registered", "rectifying", "pending_acceptance", "closed"],
    "merged": ["registered", "merged"],
    "void": ["registered", "void"],
}
VERBS = {"rectifying": "hazard.submit_plan", "pending_acceptance": "hazard.submit_completion", "closed": "hazard.accept",
         "merged": "hazard.merge", "void": "hazard.void"}
DESCRIPTIONS = ["安全出口锁闭", "消防通道被占用", "灭火器过期失效", "电气线路私拉乱接", "动火作业未审批", "可燃气体报警器失效",
                "特种作业人员无证上岗", "有限空间作业未审批", "粉尘清扫制度未落实", "危险化学品超量储存", "脚手架连墙件缺失",
                "起重机械未经验收使用", "液化气瓶违规存放", "应急照明损坏", "安全防护栏缺失"]


def next_alert_as_left(status: str, deadline: datetime.date, today: datetime.date):
    """``next_alert_on`` as a daily send_hazard_alerts run through yesterday would have left it:
    the first alert stage (7 days before, 1 day before, overdue) starting today or later."""
    if status not in ("registered", "rectifying", "pending_acceptance"):
        return None
    for start in (deadline - datetime.timedelta(days=7), deadline - datetime.timedelta(days=1),
                  deadline + datetime.timedelta(days=1)):
        if start >= today:
            return start
    return None


def weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def _batches(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _insert(model, objs, batch: int) -> None:
    insert(model, objs, batch_size=batch)


GENERATED_DEPARTMENTS = ("emergency", "commerce", "housing", "transport", "market")


def ensure_county_orgs(county: Region) -> Organisation:
    """A committee office and the main departments of a county with their lead competences and
    two officers each — made through the account services, exactly as an administrator would."""
    from django.contrib.auth import get_user_model

    from accounts import services as acc
    from accounts.models import DepartmentType, Membership

    committee = acc.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name=f"{county.name}安全生产委员会办公室",
                                        region=county)
    User = get_user_model()
    for dtype in DepartmentType.objects.filter(code__in=GENERATED_DEPARTMENTS).prefetch_related("default_sectors"):
        dept = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name=f"{county.name}{dtype.name}",
                                       region=county, department_type=dtype)
        if not dept.competences.exists():
            for sector in dtype.default_sectors.all():
                acc.set_competence(None, department=dept, sector=sector)
        for n in (1, 2):
            username = f"gen{county.code}{dtype.code}{n}"
            if not User.objects.filter(username=username).exists():
                acc.create_user(None, username=username, password=None, organisation=dept, role=Membership.Role.OFFICER,
                                full_name=f"{dtype.name}执法员{n}", email=f"{username}@example.invalid",
                                phone=f"1370{county.code}{n}"[:11], is_inspector=True,
                                inspector_cert=f"ZF{county.code}{dtype.code[:4]}{n}")
        # datasets generated before the officers were marked as inspectors
        for m in Membership.objects.filter(organisation=dept, user__username__startswith=f"gen{county.code}{dtype.code}",
                                           role=Membership.Role.OFFICER, is_inspector=False):
            acc.set_inspector(None, m, is_inspector=True)
        leader = f"gen{county.code}{dtype.code}L"
        if not User.objects.filter(username=leader).exists():  # approves rewards (not the decider)
            acc.create_user(None, username=leader, password=None, organisation=dept, role=Membership.Role.LEADER,
                            full_name=f"{dtype.name}负责人", email=f"{leader}@example.invalid")
    username = f"gen{county.code}committee1"
    if not User.objects.filter(username=username).exists():
        acc.create_user(None, username=username, password=None, organisation=committee, role=Membership.Role.OFFICER,
                        full_name="安委办工作人员", email=f"{username}@example.invalid")
    return committee


def generate(profile_name: str, seed: int = 1, *, stdout=None, batch: int = 5000) -> dict:
    profile = PROFILES[profile_name]
    rng = random.Random(seed)
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # generated data: a crash just means regenerating
            cur.execute("SET synchronous_commit TO off")
    load_reference_data()
    root = Region.objects.get(code=profile.region_code)
    townships = list(Region.objects.filter(level="township", path__startswith=root.path + "/").order_by("code"))
    if not townships:
        raise RuntimeError(f"no townships under {root.code}: run load_regions first")
    sectors = {s.code: s for s in Sector.objects.all()}
    for county in Region.objects.filter(level="county", path__startswith=root.path + "/") if root.level != "county" else [root]:
        ensure_county_orgs(county)
    now = timezone.now()
    today = timezone.localdate()
    log = stdout.write if stdout else (lambda s: None)

    # Enterprises -------------------------------------------------------------
    prefix = f"GEN{profile.region_code}-{seed}-"
    existing = Enterprise.objects.filter(name__startswith=prefix).count()
    if existing >= profile.enterprises:
        log(f"dataset already present ({existing} enterprises)\n")
        return {"skipped": True, **generate_activity(profile_name, seed, stdout=stdout, batch=batch)}
    ents, ent_sectors = [], []
    through = Enterprise.sectors.through
    for i in range(profile.enterprises):
        t = townships[rng.randrange(len(townships))]
        code_digits = f"{seed % 100:02d}{i:07d}"
        ent = Enterprise(
            name=f"{prefix}{i:06d} {rng.choice(['商贸', '机械', '建材', '食品', '物流', '化工', '建筑'])}有限公司",
            credit_code=make_credit_code(f"91{t.code[:6]}{code_digits}"), region=t, address=f"{t.name}{rng.randrange(1, 500)}号",
            employees=rng.randrange(5, 800), principal_name=f"负责人{i}", principal_phone=f"138{i:08d}"[:11],
            controller_name=f"控制人{i}", controller_phone=f"139{i:08d}"[:11],
        )
        ent.set_region_codes(t)
        ent.name_tokens = search_tokens(ent.name)
        codes = {weighted(rng, SECTOR_WEIGHTS)}
        if rng.random() < 0.1:
            codes.add(weighted(rng, SECTOR_WEIGHTS))
        ent.high_risk = any(sectors[c].high_risk for c in codes)
        ent.uses_hazchem = "hazchem" in codes
        ents.append((ent, sorted(codes)))
    with transaction.atomic():
        for chunk in _batches(ents, batch):
            Enterprise.objects.bulk_create([e for e, _ in chunk], batch_size=batch)
        for ent, codes in ents:
            ent_sectors.extend(through(enterprise_id=ent.pk, sector_id=sectors[c].pk) for c in codes)
        through.objects.bulk_create(ent_sectors, batch_size=batch)
    log(f"enterprises: {len(ents)} in {time.monotonic() - started:.1f}s\n")

    # Hazards, sources, events --------------------------------------------------
    n_events = 0
    created = 0
    # COPY with the tally triggers off, then one GROUP BY rebuild of the region (hazards.tallies)
    with tallies.suspended(root):
        for chunk_start in range(0, profile.hazards, batch):
            hazards = []
            for i in range(chunk_start, min(chunk_start + batch, profile.hazards)):
                ent, codes = ents[rng.randrange(len(ents))]
                grade = "major" if rng.random() < profile.major_share else "general"
                channel = weighted(rng, CHANNELS)
                status = weighted(rng, STATUSES)
                found = today - datetime.timedelta(days=rng.randrange(0, 700))
                reported = timezone.make_aware(datetime.datetime.combine(found, datetime.time(9))) + datetime.timedelta(minutes=rng.randrange(600))
                deadline = found + datetime.timedelta(days=rng.choice([7, 15, 30, 60, 90]))
                h = Hazard(enterprise_id=ent.pk, sector_id=sectors[codes[0]].pk, description=rng.choice(DESCRIPTIONS),
                           grade=grade, channel=channel, found_on=found, deadline=deadline, original_deadline=deadline,
                           basis_reason="依据行业判定标准" if grade == "major" else "", status=status,
                           first_reported_at=reported, created_at=reported, status_changed_at=reported,
                           finder_name="生成数据", reopen_count=1 if (status == "rectifying" and rng.random() < 0.05) else 0)
                h.province_code, h.city_code, h.county_code, h.township_code = (
                    ent.province_code, ent.city_code, ent.county_code, ent.township_code)
                h.search_tokens = search_tokens(h.description, h.location)
                path = PATHS[status]
                times = [reported]
                for _ in path[1:]:
                    times.append(min(times[-1] + datetime.timedelta(days=rng.randrange(1, 40), minutes=rng.randrange(600)), now))
                h.status_changed_at = times[-1]
                h.next_alert_on = next_alert_as_left(status, deadline, today)
                h.responsible_person, h.responsible_phone = f"整改责任人{i % 997}", f"136{i:08d}"
                if status == "closed":
                    h.closed_at = times[-1]
                hazards.append((h, path, times))
            with transaction.atomic():
                _insert(Hazard, [h for h, _, _ in hazards], batch)
                AlertSchedule.objects.bulk_create(  # the alert schedule's side table (no sequence: bulk_create)
                    [AlertSchedule(hazard_id=h.pk, next_alert_on=h.__dict__["_next_alert_on"])
                     for h, _, _ in hazards if h.__dict__.get("_next_alert_on")], batch_size=batch)
                sources, events = [], []
                for h, path, times in hazards:
                    sources.append(HazardSource(hazard_id=h.pk, channel=h.channel, reported_at=h.first_reported_at))
                    events.append(Event(created_at=times[0], actor_name="生成数据", actor_role="system", verb="hazard.registered",
                                        object_type="hazards.hazard", object_id=h.pk, object_repr=h.description[:200],
                                        to_state="registered", data={"grade": h.grade, "channel": h.channel, "generated": True}))
                    for prev, state, when in zip(path, path[1:], times[1:]):
                        events.append(Event(created_at=when, actor_name="生成数据", actor_role="system", verb=VERBS[state],
                                            object_type="hazards.hazard", object_id=h.pk, object_repr=h.description[:200],
                                            from_state=prev, to_state=state, data={"generated": True}))
                _insert(HazardSource, sources, batch)
                _insert(Event, events, batch)
                n_events += len(events)
                created += len(hazards)
            log(f"hazards: {created}/{profile.hazards}, events {n_events} ({time.monotonic() - started:.1f}s)\n")
    activity = generate_activity(profile_name, seed, stdout=stdout, batch=batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # VACUUM too (outside a transaction): rows loaded by COPY are not all-visible until
            # vacuumed, so index-only counts would still read the heap — autovacuum does this in
            # production some minutes later; the benchmarks run right after the load
            cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {"enterprises": len(ents), "hazards": created, "events": n_events, **activity,
            "seconds": round(time.monotonic() - started, 1)}


def generate_activity(profile_name: str, seed: int, **kwargs) -> dict:
    from bench.generator_activity import generate_activity as run

    return run(profile_name, seed, **kwargs)
