"""Writes for risk points and assessments. Enterprise staff manage their own risk points;
engaged agencies (third parties) may add assessments; band tables are published by superusers
(or the system). Every write records an event."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import permissions as perms
from accounts.scope import scope_for
from core.events import record
from core.services import NotPermitted, ServiceError, bounded_decimal

from . import rules
from .models import Band, BandTable, Level, Method, RiskAssessment, RiskPoint
from .reference import ensure_defaults

POINT_FIELDS = ["name", "category", "location", "hazard_factors", "consequences", "longitude", "latitude",
                "control_measures", "monitoring", "review_on", "responsible_unit", "responsible_person",
                "responsible_phone", "supervising_department", "emergency_plan", "emergency_resources"]


def _in_enterprise_scope(user, enterprise) -> bool:
    ids = scope_for(user).enterprise_ids
    return ids is not None and enterprise.pk in ids


def can_manage_points(user, enterprise) -> bool:
    if user is None:
        return False
    if user.is_authenticated and user.is_superuser:
        return True
    return perms.is_enterprise_user(user) and perms.can_write(user) and _in_enterprise_scope(user, enterprise)


def can_assess(user, enterprise) -> bool:
    if can_manage_points(user, enterprise):
        return True
    return (perms.org_kind(user) == "agency" and perms.can_write(user) and _in_enterprise_scope(user, enterprise))


def default_table(method: str, on: datetime.date | None = None) -> BandTable:
    """The default band table of ``method`` as in force on ``on`` (default today): the "default"
    flag is versioned on the rule-table pages (core.ruletables, table "band-tables")."""
    from core.ruletables import rows_in_force

    if not BandTable.objects.filter(method=method).exists():
        ensure_defaults()
    rows = rows_in_force("band-tables", BandTable.objects.filter(method=method).order_by("-version"), on or timezone.localdate())
    chosen = next((r for r in rows if r.is_default), None)
    return BandTable.objects.get(pk=chosen.pk) if chosen is not None else None


def _coordinate(value, field: str, label: str, bounds: tuple) -> Decimal | None:
    """A 经度 / 纬度 as a form or a caller gives it: None when blank, else a Decimal within ``bounds``
    (``RiskPoint.LONGITUDE_RANGE`` / ``LATITUDE_RANGE``) to six places — refused on ``field`` otherwise."""
    if value in (None, ""):
        return None
    return bounded_decimal(value, field, label, low=bounds[0], high=bounds[1], places="0.000001")


def create_risk_point(actor, enterprise, *, code: str, **data) -> RiskPoint:
    if actor is not None and not can_manage_points(actor, enterprise):
        raise NotPermitted("只有本单位人员可以登记风险点。")
    for field, label in (("name", "风险点名称"), ("category", "风险类别"), ("location", "具体位置"), ("hazard_factors", "危险有害因素")):
        if not (data.get(field) or "").strip():
            raise ServiceError(f"请填写{label}。", field)
    code = (code or "").strip()
    if not code:
        raise ServiceError("请填写风险点编号。", "code")
    data["longitude"] = _coordinate(data.get("longitude"), "longitude", "经度", RiskPoint.LONGITUDE_RANGE)
    data["latitude"] = _coordinate(data.get("latitude"), "latitude", "纬度", RiskPoint.LATITUDE_RANGE)
    if RiskPoint.objects.filter(enterprise=enterprise, code=code).exists():
        raise ServiceError("本单位已有该编号的风险点。", "code")
    try:
        with transaction.atomic():
            point = RiskPoint.objects.create(enterprise=enterprise, code=code, created_by=actor,
                                             **{k: v for k, v in data.items() if k in POINT_FIELDS and v is not None})
            record(actor, "risks.point_created", point, data={"enterprise": enterprise.pk})
    except IntegrityError:
        raise ServiceError("本单位已有该编号的风险点。", "code")
    return point


def score_and_level(method: str, factors: dict, table: BandTable | None) -> tuple:
    """Validate the raw factors; return (score, level)."""
    if method == Method.LEC:
        for name, key, allowed in (("L", "l", rules.LEC_L), ("E", "e", rules.LEC_E), ("C", "c", rules.LEC_C)):
            error = rules.factor_error(name, factors.get(key), allowed)
            if error:
                raise ServiceError(error, f"factor_{key}")
        score = rules.to_decimal(factors["l"]) * rules.to_decimal(factors["e"]) * rules.to_decimal(factors["c"])
    elif method == Method.LS:
        for name, key in (("L", "l"), ("S", "s")):
            error = rules.factor_error(name, factors.get(key), rules.LS_RANGE)
            if error:
                raise ServiceError(error, f"factor_{key}")
        score = rules.to_decimal(factors["l"]) * rules.to_decimal(factors["s"])
    else:
        raise ServiceError("方法无效。", "method")
    bands = list(table.bands.values_list("level", "min_score"))
    return score, rules.level_for(score, bands)


def assess(actor, point: RiskPoint, *, method: str, factors: dict | None = None, level: str = "", reason: str = "",
           table: BandTable | None = None, assessed_on: datetime.date | None = None) -> RiskAssessment:
    """Assess a risk point by LEC (L, E, C from the classic tables), LS (L, S in 1..5) or direct
    judgement (level + written reason). Stores factors, score, band table version and level,
    and updates the point's current level."""
    if actor is not None and not can_assess(actor, point.enterprise):
        raise NotPermitted("您无权评估该单位的风险点。")
    factors = factors or {}
    assessed_on = assessed_on or timezone.localdate()
    if not isinstance(assessed_on, datetime.date) or assessed_on > timezone.localdate():
        raise ServiceError("评估日期不能晚于今天。", "assessed_on")
    score = None
    if method == Method.DIRECT:
        if level not in Level.values:
            raise ServiceError("请选择风险等级。", "level")
        if not (reason or "").strip():
            raise ServiceError("直接判定须写明理由。", "reason")
        table = None
    elif method in (Method.LEC, Method.LS):
        table = table or default_table(method, assessed_on)
        if table.method != method:
            raise ServiceError("分级标准与评估方法不一致。", "band_table")
        score, level = score_and_level(method, factors, table)
    else:
        raise ServiceError("方法无效。", "method")
    with transaction.atomic():
        row = RiskAssessment.objects.create(
            enterprise=point.enterprise, risk_point=point, method=method, score=score, band_table=table, level=level,
            factor_l=rules.to_decimal(factors.get("l")) if method != Method.DIRECT else None,
            factor_e=rules.to_decimal(factors.get("e")) if method == Method.LEC else None,
            factor_c=rules.to_decimal(factors.get("c")) if method == Method.LEC else None,
            factor_s=rules.to_decimal(factors.get("s")) if method == Method.LS else None,
            reason=reason or "", assessed_on=assessed_on, assessed_by=actor,
            assessed_by_org=perms.actor_org(actor))
        old = point.level
        RiskPoint.objects.filter(pk=point.pk).update(level=level)
        point.level = level
        record(actor, "risks.assessed", point, from_state=old, to_state=level,
               data={"method": method, "score": str(score) if score is not None else None,
                     "table": table.pk if table else None, "assessment": row.pk})
    return row


def publish_band_table(actor, *, code: str, bands: list[tuple[str, object]], source: str, make_default: bool = True) -> BandTable:
    """Publish a new version of a band table. Old versions (and assessments using them) stay."""
    if actor is not None and not actor.is_superuser:
        raise NotPermitted("只有系统管理员可以发布分级标准。")
    current = BandTable.objects.filter(code=code).order_by("-version").first()
    if current is None:
        raise ServiceError("分级标准不存在。", "code")
    if {lvl for lvl, _ in bands} != set(Level.values):
        raise ServiceError("须为四个等级各设一个下限。", "bands")
    with transaction.atomic():
        table = BandTable.objects.create(method=current.method, code=code, version=current.version + 1, name=current.name,
                                         source=source, is_default=current.is_default or make_default)
        for level, minimum in bands:
            Band.objects.create(table=table, level=level, min_score=minimum)
        if table.is_default:
            others = list(BandTable.objects.filter(method=table.method, is_default=True).exclude(pk=table.pk))
            BandTable.objects.filter(pk__in=[t.pk for t in others]).update(is_default=False)
            from core.ruletables import note_live_change

            # the "default" flag is versioned (core.ruletables): from today the new table is the default
            note_live_change(actor, "band-tables", [table, *BandTable.objects.filter(pk__in=[t.pk for t in others])])
        record(actor, "risks.band_table_published", table, to_state=f"v{table.version}", data={"code": code})
    return table
