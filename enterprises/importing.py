"""Bulk import of the enterprise registry (xlsx / csv rows → enterprises), keyed by credit code.

``import_enterprises(actor, rows, dry_run)`` is synchronous and the only entry point that writes:
it validates every row (each bad row is reported with its row number, column and reason), then —
unless it is a dry run — creates new enterprises and updates existing ones (by credit code) in ONE
transaction with bulk statements and one event per changed enterprise. Unchanged rows write nothing,
so re-running a file is a no-op. The column layout is documented in docs/import-formats.md.

What the import does not do (the page and the services do, each with its own rule): change the
经营状态 of a registered unit (停产整顿 and 复产 are enforcement decisions, 关闭 an approver's act —
a row asking for another status than the unit's is reported on that column), give a new unit another
status than 正常经营, or let an industry department add or remove sectors outside its competence.
A row that moves a unit to another township moves its open hazards and its login organisation with
it (``services.follow_region``, as the page does), in the same transaction; the dry run lists the
moves (``ImportResult.moves``) without writing.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts import permissions as perms
from accounts.models import Sector
from accounts.scope import scope_for
from core.events import actor_fields, build
from core.intake import NO_DATA_ROWS
from core.models import Event
from core.services import NotPermitted
from regions.models import Region

from .models import Enterprise
from .permissions import sector_change_refusal
from .services import derive, derive_high_risk, enterprise_changes, follow_region, lock_sectors
from .validators import coordinates_error, credit_code_error, normalise_credit_code

# key, Chinese header, required
COLUMNS = [
    ("name", "单位名称", True),
    ("credit_code", "统一社会信用代码", True),
    ("township", "乡镇（街道）代码", True),
    ("sectors", "行业领域", True),
    ("address", "地址", False),
    ("longitude", "经度", False),
    ("latitude", "纬度", False),
    ("scale", "规模", False),
    ("employees", "从业人员数", False),
    ("legal_representative", "法定代表人", False),
    ("principal_name", "主要负责人", False),
    ("principal_phone", "主要负责人电话", False),
    ("controller_name", "实际控制人", False),
    ("controller_phone", "实际控制人电话", False),
    ("status", "经营状态", False),
    ("uses_hazchem", "涉及危险化学品", False),
    ("fire_key_unit", "消防安全重点单位", False),
    ("uses_gas", "使用燃气", False),
    ("has_special_equipment", "使用特种设备", False),
]
HEADER = {key: header for key, header, _ in COLUMNS}
REQUIRED = [key for key, _, required in COLUMNS if required]
TEXT_FIELDS = ["name", "address", "legal_representative", "principal_name", "principal_phone", "controller_name",
               "controller_phone"]
BOOL_FIELDS = ["uses_hazchem", "fire_key_unit", "uses_gas", "has_special_equipment"]
TRUE = {"是", "y", "yes", "true", "1", "√", "有"}
FALSE = {"否", "n", "no", "false", "0", "", "无"}
SPLIT = re.compile(r"[、,，;；/\s]+")
SIX = Decimal("0.000001")
MAX_ROWS = 50_000
BATCH = 500


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    dry_run: bool = True
    #: units the file moves to another township: row, credit code, name, from / to township code
    #: and how many open hazards follow
    moves: list = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e["row"] for e in self.errors})

    def as_dict(self) -> dict:
        return {"total": self.total, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "errors": self.errors, "dry_run": self.dry_run, "moves": self.moves}


TRAILING_NOTE = re.compile(r"（[^（）]*）$")
#: the largest head count a unit can have: the model's one bound (the form, the API and the services check it too)
MAX_EMPLOYEES = Enterprise.MAX_EMPLOYEES


#: the template's example row begins its 单位名称 with this (``spreadsheets.template_workbook``); a row that still
#: does is refused, not registered as a unit named “示例：…”
EXAMPLE_MARK = "示例："
EXAMPLE_ROW = "这是模板中的示例行，请删除或改为实际单位后再导入。"


def canonical_header(text) -> str:
    """A header as the import reads it: without white space, a trailing ``*`` or a trailing
    bracketed note (``单位名称（必填）``, ``从业人员数（人）``, ``地址 (详细)``); a bracket inside
    the name stays (``乡镇（街道）代码``)."""
    text = "".join(str(text or "").split()).replace("(", "（").replace(")", "）").rstrip("*＊")
    return TRAILING_NOTE.sub("", text).rstrip("*＊")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Row:
    def __init__(self, number, raw):
        self.number = number
        self.raw = raw
        self.errors: list[dict] = []
        self.data: dict = {}

    def error(self, key, reason):
        self.errors.append({"row": self.number, "column": HEADER.get(key, key), "reason": reason})


class _Context:
    """Reference data read once per import (townships, sectors, the actor's scope)."""

    def __init__(self, actor, codes):
        self.scope = scope_for(actor) if actor is not None else None
        self.townships = {r.code: r for r in Region.objects.filter(code__in=codes, level=Region.Level.TOWNSHIP)}
        self.sectors = list(Sector.objects.filter(is_active=True))
        self.sector_lookup = {s.code.lower(): s for s in self.sectors}
        self.sector_lookup.update({s.name: s for s in self.sectors})
        self.scales = {v: v for v in Enterprise.Scale.values} | {str(lbl): v for v, lbl in Enterprise.Scale.choices}
        self.statuses = {v: v for v in Enterprise.Status.values} | {str(lbl): v for v, lbl in Enterprise.Status.choices}
        self.max_len = {f: Enterprise._meta.get_field(f).max_length for f in TEXT_FIELDS}

    def region_allowed(self, region) -> bool:
        s = self.scope
        if s is None or s.everything:
            return True
        return bool(s.region_path) and (region.path == s.region_path or region.path.startswith(s.region_path + "/"))

    def sectors_allowed(self, sectors) -> bool:
        s = self.scope
        return s is None or s.everything or s.sector_ids is None or any(x.pk in s.sector_ids for x in sectors)


def _clean_row(row: _Row, ctx: _Context, present: set) -> None:
    raw, data = row.raw, row.data
    for key in TEXT_FIELDS:
        if key in present:
            data[key] = _text(raw.get(HEADER[key]))
            if len(data[key]) > ctx.max_len[key]:
                row.error(key, f"不能超过{ctx.max_len[key]}个字符。")
    if not data.get("name"):
        row.error("name", "单位名称为必填项。")
    elif data["name"].startswith(EXAMPLE_MARK):  # the template's example row, uploaded as it came
        row.error("name", EXAMPLE_ROW)
    code = normalise_credit_code(_text(raw.get(HEADER["credit_code"])))
    data["credit_code"] = code
    if not code:
        row.error("credit_code", "统一社会信用代码为必填项。")
    else:
        problem = credit_code_error(code)
        if problem:
            row.error("credit_code", problem)
    township = _text(raw.get(HEADER["township"]))
    region = ctx.townships.get(township)
    if not township:
        row.error("township", "乡镇（街道）代码为必填项。")
    elif region is None:
        row.error("township", f"未知的乡镇（街道）代码“{township}”。")
    elif not ctx.region_allowed(region):
        row.error("township", f"乡镇（街道）“{region.name}”不在您的管辖范围内。")
    data["region"] = region
    tokens = [t for t in SPLIT.split(_text(raw.get(HEADER["sectors"]))) if t]
    sectors = []
    for token in tokens:
        sector = ctx.sector_lookup.get(token) or ctx.sector_lookup.get(token.lower())
        if sector is None:
            row.error("sectors", f"未知的行业领域“{token}”。")
        elif sector not in sectors:
            sectors.append(sector)
    if not tokens:
        row.error("sectors", "行业领域为必填项。")
    elif sectors and not ctx.sectors_allowed(sectors):
        row.error("sectors", "所列行业领域均不在您部门的监管职责内。")
    data["sectors"] = sectors
    if "longitude" in present or "latitude" in present:
        coords = {}
        for key in ("longitude", "latitude"):
            text = _text(raw.get(HEADER.get(key)))
            try:
                coords[key] = Decimal(text).quantize(SIX) if text else None
            except InvalidOperation:
                row.error(key, f"“{text}”不是数字。")
                coords[key] = None
        if not any(e["column"] in (HEADER["longitude"], HEADER["latitude"]) for e in row.errors):
            problem = coordinates_error(coords["longitude"], coords["latitude"])
            if problem:
                row.error("longitude", problem)
        data.update(coords)
    if "scale" in present:
        text = _text(raw.get(HEADER["scale"]))
        data["scale"] = ctx.scales.get(text or Enterprise.Scale.BELOW)
        if data["scale"] is None:
            row.error("scale", f"规模应为“规上”或“规下”，而非“{text}”。")
    if "status" in present:  # read as a check only (STATUS_REFUSALS); empty = the unit's current status
        text = _text(raw.get(HEADER["status"]))
        data["status"] = ctx.statuses.get(text) if text else None
        if text and data["status"] is None:
            row.error("status", f"经营状态应为正常经营、停产整顿或关闭，而非“{text}”。")
    if "employees" in present:
        text = _text(raw.get(HEADER["employees"]))
        try:
            data["employees"] = int(text) if text else 0
            if not 0 <= data["employees"] <= MAX_EMPLOYEES:
                raise ValueError
        except ValueError:
            row.error("employees", f"从业人员数应为 0 至 {MAX_EMPLOYEES} 的整数，而非“{text}”。")
    for key in BOOL_FIELDS:
        if key in present:
            text = _text(raw.get(HEADER[key])).lower()
            if text in TRUE:
                data[key] = True
            elif text in FALSE:
                data[key] = False
            else:
                row.error(key, f"应填“是”或“否”，而非“{text}”。")


def _profile_keys(present) -> list[str]:
    keys = [k for k in TEXT_FIELDS + BOOL_FIELDS + ["scale", "employees"] if k in present or k == "name"]
    if "longitude" in present or "latitude" in present:
        keys += ["longitude", "latitude"]
    return keys


def _state(ent, sector_codes, keys) -> dict:
    """What ``services.enterprise_changes`` compares, of ``ent`` as it is (or as a row makes it)."""
    return {**{k: getattr(ent, k) for k in keys}, "sectors": list(sector_codes), "region": ent.region.code,
            "high_risk": ent.high_risk}


def _existing(codes) -> tuple[dict, dict]:
    by_code, sector_ids = {}, {}
    codes = sorted(codes)
    for i in range(0, len(codes), BATCH):
        for ent in Enterprise.objects.filter(credit_code__in=codes[i:i + BATCH]).select_related("region"):
            by_code[ent.credit_code] = ent
    through = Enterprise.sectors.through
    ids = [e.pk for e in by_code.values()]
    for i in range(0, len(ids), BATCH):
        for ent_id, sector_id in through.objects.filter(enterprise_id__in=ids[i:i + BATCH]).values_list(
                "enterprise_id", "sector_id"):
            sector_ids.setdefault(ent_id, set()).add(sector_id)
    return by_code, sector_ids


def _visible_ids(actor, ids) -> set:
    if actor is None or scope_for(actor).everything:
        return set(ids)
    ids = sorted(ids)
    visible = set()
    for i in range(0, len(ids), BATCH):
        visible.update(Enterprise.objects.visible_to(actor).filter(pk__in=ids[i:i + BATCH]).values_list("pk", flat=True))
    return visible


def import_enterprises(actor, rows, dry_run: bool = True, progress=None, source: str = "") -> ImportResult:
    """Validate ``rows`` (dicts keyed by the Chinese headers; optional "_row" = spreadsheet row
    number, else index + 2) and, unless ``dry_run``, write the good rows atomically."""
    if actor is not None and not (perms.is_government(actor) and perms.can_write(actor)):
        raise NotPermitted("只有具有经办权限的政府部门人员可以导入生产经营单位。")
    rows = list(rows)
    result = ImportResult(total=len(rows), dry_run=dry_run)
    if len(rows) > MAX_ROWS:
        result.errors.append({"row": 0, "column": "", "reason": f"单次最多导入{MAX_ROWS}行。"})
        return result
    if not rows:  # a file of a header alone (read_rows refuses it; callers passing rows meet the same)
        result.errors.append({"row": 0, "column": "文件", "reason": NO_DATA_ROWS})
        return result
    present = set()
    headers = {canonical_header(h) for r in rows[:1] for h in r if h != "_row"}
    for key, header, required in COLUMNS:
        if header in headers:
            present.add(key)
        elif required and rows:
            result.errors.append({"row": 1, "column": header, "reason": f"缺少必填列“{header}”。"})
    if result.errors:
        return result
    rows = [{canonical_header(k): v for k, v in r.items()} | {"_row": r.get("_row", i + 2)} for i, r in enumerate(rows)]
    ctx = _Context(actor, {_text(r.get(HEADER["township"])) for r in rows})
    cleaned: list[_Row] = []
    first_seen: dict[str, int] = {}
    for i, raw in enumerate(rows):
        row = _Row(raw["_row"], raw)
        _clean_row(row, ctx, present)
        code = row.data["credit_code"]
        if code and not credit_code_error(code):
            if code in first_seen:
                row.error("credit_code", f"与第{first_seen[code]}行的统一社会信用代码重复。")
            else:
                first_seen[code] = row.number
        cleaned.append(row)
        if progress and (i + 1) % BATCH == 0:
            progress(i + 1, len(rows))
    good = [r for r in cleaned if not r.errors]
    existing, existing_sectors = _existing({r.data["credit_code"] for r in good})
    visible = _visible_ids(actor, [e.pk for e in existing.values()])
    sector_by_id = {x.pk: x for x in ctx.sectors}
    competence = None if ctx.scope is None or ctx.scope.everything else ctx.scope.sector_ids
    for row in good:
        ent = existing.get(row.data["credit_code"])
        if ent is not None and ent.pk not in visible:
            row.error("credit_code", "该统一社会信用代码已由其他辖区或行业登记，您无权修改。")
            continue
        _check_status(row, ent)
        if ent is not None and competence is not None:
            before = [sector_by_id[i] for i in existing_sectors.get(ent.pk, ()) if i in sector_by_id]
            refusal = sector_change_refusal(actor, before, row.data["sectors"], competence=competence)
            if refusal:
                row.error("sectors", refusal)
    for row in cleaned:
        result.errors.extend(row.errors)
    good = [r for r in good if not r.errors]
    keys = _profile_keys(present)
    sector_codes = dict(Sector.objects.values_list("pk", "code")) if existing else {}  # inactive ones too
    creates, updates = [], []
    for row in good:
        d = row.data
        ent = existing.get(d["credit_code"])
        if ent is None:
            creates.append(row)
            continue
        # what the row changes as the unit reads now (the counts, the moves); the write compares again
        # against the unit as stored under its row lock (_write), and records that
        before = _state(ent, (sector_codes[i] for i in existing_sectors.get(ent.pk, ())), keys)
        after = {**{k: d[k] for k in keys}, "sectors": [s.code for s in d["sectors"]], "region": d["region"].code,
                 "high_risk": derive_high_risk(d["sectors"], ent.high_risk_override)}
        changes = enterprise_changes(before, after)
        if "region" in changes:
            result.moves.append({"row": row.number, "credit_code": ent.credit_code, "name": ent.name,
                                 "from": ent.region.code, "to": d["region"].code, "enterprise": ent.pk})
        if changes:
            updates.append((row, ent))
    open_counts = _open_hazards([m["enterprise"] for m in result.moves])
    for move in result.moves:  # the hazards that move with each unit (one query for every move of the file)
        move["open_hazards"] = open_counts.get(move.pop("enterprise"), 0)
    result.created, result.updated = len(creates), len(updates)
    result.unchanged = len(good) - len(creates) - len(updates)
    if dry_run or not (creates or updates):
        return result
    _write(actor, creates, updates, keys, source)
    return result


STATUS_REFUSALS = {
    "new": "新登记的单位经营状态只能为正常经营：停产整顿须由执法案件作出责令停产停业整顿决定，关闭须经审批办理。",
    "lift": "该单位正在停产整顿，不能通过导入恢复正常经营：复产须经复产复查（安全生产法第六十五条），由执法案件作出复产决定。",
    "suspend": "停产整顿须由执法案件作出责令停产停业整顿决定，不能通过导入设置。",
    "close": "关闭（注销）须由具有审批权限的负责人在单位页面办理（填写理由，且无未销号隐患），不能通过导入设置。",
    "reopen": "已关闭的单位不能通过导入恢复经营。",
}


def _check_status(row: _Row, ent) -> None:
    """The 经营状态 column may only repeat the unit's status (a new unit: 正常经营)."""
    wanted = row.data.get("status")
    if wanted is None:
        return
    current = ent.status if ent is not None else Enterprise.Status.OPERATING
    if wanted == current:
        return
    S = Enterprise.Status
    if ent is None:
        why = "new"
    elif current == S.SUSPENDED:
        why = "lift" if wanted == S.OPERATING else "close"
    elif current == S.CLOSED:
        why = "reopen"
    else:
        why = "suspend" if wanted == S.SUSPENDED else "close"
    row.error("status", STATUS_REFUSALS[why])


def _open_hazards(enterprise_ids) -> dict:
    """{enterprise id: its open hazards} for the units a file moves, in one grouped query (was one count per
    moved unit: a file moving thousands of units after a re-zoning ran thousands)."""
    from django.db.models import Count

    from hazards import workflow
    from hazards.models import Hazard

    if not enterprise_ids:
        return {}
    return dict(Hazard.objects.filter(enterprise_id__in=enterprise_ids, status__in=workflow.OPEN_STATES)
                .values("enterprise_id").annotate(n=Count("id")).values_list("enterprise_id", "n"))


def _write(actor, creates, updates, keys, source) -> None:
    """Create and update in one transaction. Lock order (``services.lock_sectors``): every sector the
    rows name and the updated units have now, then the units (``SELECT … FOR UPDATE`` in pk order, a
    ``BATCH`` a statement); each update is compared with the unit as stored under that lock
    (``services.enterprise_changes``, as ``update_enterprise`` does): its event's ``changes`` carry the
    stored "before" — also of the derived 高危 (``changes.high_risk``, the class trail of
    ``inspections.frequency.class_on``) — and a unit a concurrent writer has already brought to the
    row's values writes nothing."""
    now = timezone.now()
    info = actor_fields(actor)  # once for the whole batch

    def event(verb, ent, data, to_state=""):
        return build(actor, verb, ent, to_state=to_state, note=source[:200], data=data, actor_info=info, at=now)

    through = Enterprise.sectors.through
    with transaction.atomic():
        # 高危 is derived from the flags as committed, not as the import read them
        sector_ids = {s.pk for row in (*creates, *(u[0] for u in updates)) for s in row.data["sectors"]}
        updated_ids = sorted(ent.pk for _, ent in updates)
        for i in range(0, len(updated_ids), BATCH):
            sector_ids.update(through.objects.filter(enterprise_id__in=updated_ids[i:i + BATCH])
                              .values_list("sector_id", flat=True))
        locked = lock_sectors(sector_ids)

        def sectors_of(row):
            return [locked[s.pk] for s in row.data["sectors"]]

        stored, stored_sectors = {}, {}  # the updated units and their sectors' codes, as stored under the lock
        for i in range(0, len(updated_ids), BATCH):
            ids = updated_ids[i:i + BATCH]
            stored.update((e.pk, e) for e in Enterprise.objects.select_for_update(of=("self",)).select_related("region")
                          .filter(pk__in=ids).order_by("pk"))
            for ent_id, code in through.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "sector__code"):
                stored_sectors.setdefault(ent_id, []).append(code)

        new_objects = []
        for row in creates:
            d = row.data
            ent = Enterprise(credit_code=d["credit_code"], region=d["region"], **{k: d[k] for k in keys})
            derive(ent, sectors_of(row))
            ent.created_at = ent.updated_at = now
            new_objects.append((ent, d["sectors"]))
        for i in range(0, len(new_objects), BATCH):
            Enterprise.objects.bulk_create([e for e, _ in new_objects[i:i + BATCH]])
        links = [through(enterprise_id=e.pk, sector_id=s.pk) for e, sectors in new_objects for s in sectors]
        events = [event("enterprise.created", e, {"credit_code": e.credit_code, "source": "import",
                                                         "sectors": sorted(s.code for s in sectors)}, e.status)
                  for e, sectors in new_objects]
        changed_objects, resectored, moved = [], [], []
        for row, planned in updates:
            d = row.data
            ent = stored.get(planned.pk)
            if ent is None:  # gone meanwhile (units are not deleted by any service)
                continue
            before = _state(ent, stored_sectors.get(ent.pk, ()), keys)
            for k in keys:
                setattr(ent, k, d[k])
            ent.region = d["region"]
            derive(ent, sectors_of(row))  # region codes, 高危 (unless 人工认定), name tokens
            changes = enterprise_changes(before, _state(ent, (s.code for s in d["sectors"]), keys))
            if not changes:
                continue
            ent.updated_at = now
            changed_objects.append(ent)
            if "region" in changes:
                moved.append(ent)
            if "sectors" in changes:
                resectored.append(ent.pk)
                links += [through(enterprise_id=ent.pk, sector_id=s.pk) for s in d["sectors"]]
            events.append(event("enterprise.updated", ent, {"changes": changes, "source": "import"}))
        fields = list(dict.fromkeys(keys + ["region", "province_code", "city_code", "county_code", "township_code",
                                            "high_risk", "name_tokens", "updated_at"]))
        Enterprise.objects.bulk_update(changed_objects, fields, batch_size=BATCH)
        for i in range(0, len(resectored), BATCH):
            through.objects.filter(enterprise_id__in=resectored[i:i + BATCH]).delete()
        through.objects.bulk_create(links, batch_size=BATCH * 2)
        Event.objects.bulk_create(events, batch_size=BATCH)
        for ent in moved:  # 属地管理: its open hazards and login organisation go with it (as on the page)
            follow_region(actor, ent)
