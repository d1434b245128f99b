"""Rule tables editable on pages by the committee office (or a designated admin), **versioned with
an effective date** (issue 17 item 2) — one generic mechanism for every table below.

* Every row has versions (``core.models.RuleVersion``): the values of the table's versioned fields,
  in force from ``effective_from``. Version 1 of the rows that existed when versioning began is
  their value then, effective from the table's ``since`` date (data migration ``core/0005``).
* An edit is a **revision**: a new version effective from a date the editor gives — today or later;
  an earlier date only for a designated admin (superuser or ``core.backdate_ruleversion``). Each
  revision is one ``rule.revised`` event (old → new values, version, effective date).
* The live row holds the version in force **today**: a revision effective today (or earlier) is
  applied at once; a future one by ``apply_due`` (the daily ``rules.apply`` pass, idempotent,
  one ``rule.applied`` event per row applied).
* Lookups for a date: ``in_force(key, row, on)`` (one row) and ``rows_in_force(key, rows, on)``
  (many, one query) give the row as it was on ``on`` — every figure or deadline computed for a
  date uses them with the date of its fact. A date before version 1 gets version 1 (the platform
  holds no older text).

RewardPolicy keeps its own versioned rows (``tips.rule_admin``). ``tag`` fields (V / P / R, RULES.md) are shown on the pages; R rows carry the badge 未核实."""

import copy
import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError

NOT_PERMITTED = "只有安委会办公室或指定的管理员可以维护规则表。"


@dataclass(frozen=True)
class Table:
    key: str
    model: str  # "app.Model"
    fields: tuple
    since: datetime.date  # effective date of version 1 (the source the defaults came from)
    can_add: bool = False
    #: rows of a table without a ``tag`` column whose value is our own default (R in docs/rules.md)
    unverified_rows: object = None  # callable(row) -> bool
    #: the pages' name of the table when the model's name does not say which of its fields it holds
    #: (a sector's drill period, not the sectors)
    title: str = ""

    def unverified(self, row) -> bool:
        """R (our default, not found in a text): shown with the badge 未核实 on the pages."""
        if self.has_tag:
            return getattr(row, "tag", "") == "R"
        return bool(self.unverified_rows and self.unverified_rows(row))

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def label(self) -> str:
        return self.title or str(self.model_class._meta.verbose_name_plural)

    @property
    def has_tag(self) -> bool:
        return any(f.name == "tag" for f in self.model_class._meta.get_fields())


ALWAYS = datetime.date(2000, 1, 1)
#: DeadlineRule stages whose number is our own default (docs/rules.md "R"): the 复查 windows
#: (应急〔2023〕106号 says a review exists, not its days). The 摘牌 acceptance is 10 calendar days as
#: 湖北 2011 says (V) since tips/0012.
UNVERIFIED_STAGES = ("review_request", "review")
TABLES = {t.key: t for t in (
    # 安全生产领域举报奖励办法 (2018-01-04), as RewardPolicy version 1
    Table("deadlines", "tips.DeadlineRule", ("working_days", "calendar_days", "basis"), datetime.date(2018, 1, 4),
          unverified_rows=lambda row: row.stage in UNVERIFIED_STAGES),
    Table("holidays", "tips.Holiday", ("date", "name", "is_workday"), ALWAYS, can_add=True),
    # 安全生产法 as amended 2021-06-10, in force 2021-09-01
    Table("obligations", "obligations.ObligationRule", ("value", "tag", "note"), datetime.date(2021, 9, 1)),
    Table("staffing", "obligations.StaffingRule", ("institution_required", "full_time_min", "any_manager_min", "tag", "note"),
          datetime.date(2021, 9, 1)),
    # 财资〔2022〕136号, issued and in force 2022-11-21
    Table("cost-rates", "obligations.CostRate", ("rate_percent", "unit_rate", "lower", "upper", "tag"), datetime.date(2022, 11, 21)),
    Table("band-tables", "risks.BandTable", ("name", "source", "is_default"), ALWAYS),
    Table("penalty-articles", "enforcement.PenaltyArticle", ("entity_min", "entity_max", "person_min", "person_max",
                                                             "party_roles", "prior_order", "income_percent_min",
                                                             "income_percent_max", "suspension"), datetime.date(2021, 9, 1)),
    # 行政处罚法 as revised 2021-01-22, in force 2021-07-15 (art. 33 不予处罚)
    Table("leniency", "enforcement.LeniencyPolicy", ("enabled", "note"), datetime.date(2021, 7, 15)),
    # the five-colour board's thresholds (RULES.md §4: no official criteria, R); a past week's board
    # uses the rules in force on its Monday
    Table("board-rules", "campaigns.BoardRuleSet", ("rules", "is_active"), ALWAYS),
    # 生产安全事故报告和调查处理条例 (国务院令第493号), in force 2007-06-01; an accident's time limits
    # are those in force on the day it occurred (accidents.rules.days)
    Table("accident-deadlines", "accidents.DeadlineRule", ("amount", "basis"), datetime.date(2007, 6, 1)),
    # the same regulation's art. 13 ¶2: the accident types with their own 补报 window (道路交通事故、
    # 火灾事故 7 days; every other type the "accident-deadlines" row supplement_days); an accident uses
    # the row in force on the day it occurred (accidents.rules.supplement_days)
    Table("accident-supplement-windows", "accidents.SupplementWindow", ("days", "basis"), datetime.date(2007, 6, 1)),
    # 涉企检查频次上限 by class and 标准化 grade (山西 2025, P; 国办发〔2024〕54号 asks every region for caps):
    # a 双随机 pool uses the rows in force on the draw's day (inspections.frequency)
    Table("inspection-frequency-caps", "inspections.FrequencyCap", ("max_per_year", "tag", "basis"), ALWAYS),
    # a sector's 应急演练周期 (生产安全事故应急预案管理办法 art. 33, as amended 2019-07-11 by 应急管理部令第2号,
    # in force 2019-09-01): half-yearly for high-risk sectors and crowded venues, yearly otherwise. An
    # enterprise's drill status for a day uses its sectors' rows in force that day
    # (obligations.services.drill_months_for, obligations.summary.Records). Sectors themselves are
    # reference data (the Django admin): the pages revise the period only.
    Table("sector-drills", "accounts.Sector", ("drill_months",), datetime.date(2019, 9, 1), title="行业应急演练周期"),
)}


def table(key: str) -> Table:
    return TABLES[key]


def key_of(model) -> str | None:
    label = model._meta.label
    return next((t.key for t in TABLES.values() if t.model == label), None)


def can_edit(user, table: Table) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    meta = table.model_class._meta
    if user.is_superuser or user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
        return True
    m = getattr(user, "membership", None)
    return bool(m and m.can_write and m.organisation.kind == "committee")


def can_backdate(user) -> bool:
    """A designated admin may give an effective date before today (a correction)."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.has_perm("core.backdate_ruleversion")))


# ---------------------------------------------------------------- values

def _dump(obj, fields) -> dict:
    out = {}
    for name in fields:
        f = obj._meta.get_field(name)
        v = f.value_from_object(obj)
        out[name] = v if (v is None or f.get_internal_type() == "JSONField") else f.value_to_string(obj)
    return out


def _load(model, values: dict) -> dict:
    out = {}
    for name, raw in values.items():
        f = model._meta.get_field(name)
        out[name] = raw if (raw is None or f.get_internal_type() == "JSONField") else f.to_python(raw)
    return out


def _shown(values: dict) -> dict:
    return {k: ("" if v is None else str(v)) for k, v in values.items()}


# ---------------------------------------------------------------- lookups

def _versions(table: Table, row_ids):
    from core.models import RuleVersion

    return RuleVersion.objects.filter(table=table.key, row_id__in=list(row_ids)).order_by("row_id", "effective_from", "version")


def history(table: Table, obj) -> list:
    """Every version of ``obj``, oldest first (none for a row added outside the pages and never
    revised: its live values are version 1)."""
    return list(_versions(table, [obj.pk]))


ABSENT = object()


def _pick(versions: list, on: datetime.date, since: datetime.date | None = None):
    """The version in force on ``on``; before the first version: the first one when it dates from
    the table's ``since`` (rows that predate versioning), else ABSENT (the row did not exist yet)."""
    chosen = None
    for v in versions:  # ordered by effective_from
        if v.effective_from <= on:
            chosen = v
    if chosen is None and versions:
        return versions[0] if since is None or versions[0].effective_from <= since else ABSENT
    return chosen


def rows_in_force(key: str, rows, on: datetime.date) -> list:
    """``rows`` (instances of the table's model) as they were on ``on``: unsaved copies carrying
    the values of the version in force then (the row itself when it has no versions)."""
    t = TABLES[key]
    rows = list(rows)
    if on is None:
        return rows
    if isinstance(on, datetime.datetime):
        on = timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    by_row: dict = {}
    for v in _versions(t, [r.pk for r in rows]):
        by_row.setdefault(v.row_id, []).append(v)
    today = timezone.localdate()
    out = []
    for r in rows:
        versions = by_row.get(r.pk, [])
        v = _pick(versions, on, t.since)
        if v is ABSENT:
            continue  # added after ``on``
        if v is None:
            out.append(r)
            continue
        shadow = copy.copy(r)
        current = _pick(versions, today, t.since)
        if not (v is current and v.applied_at is not None):  # the live row is the applied current version
            for name, value in _load(t.model_class, v.values).items():
                setattr(shadow, name, value)
        shadow.rule_version = v
        out.append(shadow)
    return out


def in_force(key: str, row, on: datetime.date):
    """One row as it was on ``on`` (see ``rows_in_force``); None when it did not exist then."""
    if row is None:
        return None
    found = rows_in_force(key, [row], on)
    return found[0] if found else None


# ---------------------------------------------------------------- writers

def _ensure_first(table: Table, obj, actor=None):
    """Version 1 of a row that has none yet (added outside the pages after versioning began)."""
    from core.models import RuleVersion

    first = RuleVersion.objects.filter(table=table.key, row_id=obj.pk).order_by("version").first()
    if first is None:
        first = RuleVersion.objects.create(table=table.key, row_id=obj.pk, version=1, effective_from=table.since,
                                           values=_dump(obj, table.fields), created_by=None, note="初始版本",
                                           applied_at=timezone.now())
    return first


def _check_date(actor, effective_from) -> datetime.date:
    if not isinstance(effective_from, datetime.date):
        raise ServiceError("请填写施行日期。", "effective_from")
    if effective_from < timezone.localdate() and not can_backdate(actor):
        raise ServiceError("施行日期不能早于今天（按原规则作出的计算不受影响；追溯调整须由指定管理员办理）。", "effective_from")
    return effective_from


def revise_row(actor, table: Table, obj, data: dict, *, effective_from: datetime.date, note: str = ""):
    """A new version of ``obj`` with the edited fields, in force from ``effective_from``; one
    ``rule.revised`` event with old → new values. Applied to the live row when in force today."""
    from core.models import RuleVersion

    if not can_edit(actor, table):
        raise NotPermitted(NOT_PERMITTED)
    effective_from = _check_date(actor, effective_from)
    model = table.model_class
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=obj.pk)
        _ensure_first(table, obj, actor)
        versions = list(RuleVersion.objects.filter(table=table.key, row_id=obj.pk).order_by("effective_from", "version"))
        base = _pick(versions, effective_from)
        if base is _pick(versions, timezone.localdate()) and base.applied_at is not None:
            base.values = _dump(obj, table.fields)  # the live row is that version (edits outside the pages included)
        # a version written before a field was added to the table lacks it: the row's value, as
        # rows_in_force reads such a version
        base.values = {**_dump(obj, [f for f in table.fields if f not in base.values]), **base.values}
        before = _load(model, base.values)
        after = {**before, **{f: data[f] for f in table.fields if f in data}}
        shadow = copy.copy(obj)
        for f, v in after.items():
            setattr(shadow, f, v)
        values = _dump(shadow, table.fields)
        changes = {f: [_shown(base.values)[f], _shown(values)[f]] for f in table.fields if base.values.get(f) != values.get(f)}
        if not changes:
            raise ServiceError("没有修改任何取值。", "effective_from")
        if any(v.effective_from == effective_from for v in versions):
            raise ServiceError("该施行日期已有版本，请选择其他日期。", "effective_from")
        number = max(v.version for v in versions) + 1
        # a later version already exists: this revision is inserted between and is in force only
        # until the day before it; the later version keeps its own (complete) values — see
        # docs/rules.md "Revising before a later version" and ``later_notice``
        later = next((v for v in versions if v.effective_from > effective_from), None)
        version = RuleVersion.objects.create(table=table.key, row_id=obj.pk, version=number, effective_from=effective_from,
                                             values=values, note=note[:200], created_by=actor if actor.is_authenticated else None)
        data = {"table": table.model, "key": table.key, "version": number,
                "effective_from": effective_from.isoformat(), "changes": changes}
        if later is not None:
            data.update(until=(later.effective_from - datetime.timedelta(days=1)).isoformat(),
                        later_version=later.version, later_effective_from=later.effective_from.isoformat())
        record(actor, "rule.revised", obj, note=note, data=data)
        version.later = later
        if effective_from <= timezone.localdate():
            _apply(actor, table, obj, timezone.localdate(), record_event=False)
    return version


def later_notice(version) -> str:
    """The Chinese notice shown after a revision inserted before a later version (empty otherwise)."""
    later = getattr(version, "later", None)
    if later is None:
        return ""
    until = later.effective_from - datetime.timedelta(days=1)
    return (f"已保存第{version.version}版，施行至{until:%Y-%m-%d}；自{later.effective_from:%Y-%m-%d}起仍按已有的"
            f"第{later.version}版施行，本次修改不带入该版。如该版也需修改，请另行修订施行日期为"
            f"{later.effective_from:%Y-%m-%d}的版本。")


def change_row(actor, table: Table, obj, data: dict, *, effective_from: datetime.date | None = None, note: str = ""):
    """Kept for callers of the unversioned API: a revision effective today."""
    revise_row(actor, table, obj, data, effective_from=effective_from or timezone.localdate(), note=note)
    obj.refresh_from_db()
    return obj


def add_row(actor, table: Table, data: dict, *, effective_from: datetime.date | None = None):
    from core.models import RuleVersion

    if not can_edit(actor, table) or not table.can_add:
        raise NotPermitted(NOT_PERMITTED)
    with transaction.atomic():
        obj = table.model_class.objects.create(**{f: data[f] for f in table.fields if f in data})
        RuleVersion.objects.create(table=table.key, row_id=obj.pk, version=1, effective_from=effective_from or ALWAYS,
                                   values=_dump(obj, table.fields), created_by=actor if actor.is_authenticated else None,
                                   note="新增", applied_at=timezone.now())
        record(actor, "rule.added", obj, data={"table": table.model, "key": table.key,
                                              "values": _shown(_dump(obj, table.fields))})
    return obj


def note_live_change(actor, key: str, objs, on: datetime.date | None = None) -> int:
    """A writer outside the pages (e.g. risks.publish_band_table) changed live rows: record their
    values as the version in force from ``on`` (today), so that lookups for today and later see them
    and lookups for earlier dates keep the old values. Runs inside the writer's transaction."""
    from core.models import RuleVersion

    t = TABLES[key]
    on = on or timezone.localdate()
    written = 0
    for obj in objs:
        first = RuleVersion.objects.filter(table=key, row_id=obj.pk).exists()
        values = _dump(obj, t.fields)
        if not first:  # a row born now: its version 1 is what it is
            RuleVersion.objects.create(table=key, row_id=obj.pk, version=1, effective_from=on, values=values, note="新增",
                                       applied_at=timezone.now())
            written += 1
            continue
        versions = list(RuleVersion.objects.filter(table=key, row_id=obj.pk).order_by("effective_from", "version"))
        current = _pick(versions, on, t.since)
        if current not in (None, ABSENT) and current.values == values:
            continue
        same_day = next((v for v in versions if v.effective_from == on), None)
        if same_day is not None:
            RuleVersion.objects.filter(pk=same_day.pk).update(values=values, applied_at=timezone.now())
        else:
            number = max(v.version for v in versions) + 1
            RuleVersion.objects.create(table=key, row_id=obj.pk, version=number, effective_from=on, values=values,
                                       created_by=actor if actor is not None and actor.is_authenticated else None,
                                       note="由业务操作更新", applied_at=timezone.now())
        written += 1
    return written


def _apply(actor, table: Table, obj, today: datetime.date, *, record_event: bool = True) -> bool:
    """Bring the live row to the version in force ``today`` when it has not been applied yet (the
    live row then *is* that version); True when it changed."""
    from core.models import RuleVersion

    versions = list(RuleVersion.objects.filter(table=table.key, row_id=obj.pk).order_by("effective_from", "version"))
    current = _pick(versions, today, table.since)
    if current in (None, ABSENT) or current.applied_at is not None:
        return False
    wanted = _load(table.model_class, current.values)
    live = _dump(obj, table.fields)
    changed = [f for f in table.fields if current.values.get(f) != live.get(f)]
    for f in changed:
        setattr(obj, f, wanted[f])
    if changed:
        obj.save(update_fields=changed)
    RuleVersion.objects.filter(pk=current.pk).update(applied_at=timezone.now())
    if record_event:
        record(actor, "rule.applied", obj, data={"table": table.model, "key": table.key, "version": current.version,
                                                "changes": {f: [_shown(live)[f], _shown(current.values)[f]] for f in changed}})
    return True


def apply_due(today: datetime.date | None = None) -> int:
    """The daily pass: every row whose version in force today differs from the live row is
    brought to it (future-dated revisions take effect). Idempotent. Returns rows applied."""
    from core.models import RuleVersion

    today = today or timezone.localdate()
    applied = 0
    for t in TABLES.values():
        ids = set(RuleVersion.objects.filter(table=t.key, applied_at__isnull=True, effective_from__lte=today)
                  .values_list("row_id", flat=True))
        for obj in t.model_class.objects.filter(pk__in=ids):
            with transaction.atomic():
                applied += _apply(None, t, t.model_class.objects.select_for_update().get(pk=obj.pk), today)
    return applied
