"""A unit's dispatch table as shown, exported and submitted: live values + the latest submission,
and the committee office's roll-up."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from accounts.models import Organisation
from core.models import REGION_LEVELS

from . import dispatch as D
from . import rows as R
from .models import Campaign, Submission


def campaign_for(unit: Organisation, as_of: datetime.datetime, campaign_id=None) -> Campaign | None:
    """The campaign a unit's table at ``as_of`` belongs to: of the campaigns of its region and the
    regions above, the latest-starting one running on that day; none running (after the end or
    before the start), the latest-starting one. One hand-written statement: every dispatch page
    and the roll-up ask for it, and the ORM spent twice the statement's own time composing it."""
    if campaign_id:
        return Campaign.objects.filter(pk=campaign_id).first()
    ops = connection.ops
    day = ops.adapt_datefield_value(timezone.localtime(as_of).date())
    codes = [*unit.region.ancestor_codes(), unit.region.code]
    found = Campaign.objects.raw(
        f"SELECT c.* FROM campaigns_campaign c JOIN regions_region r ON r.id = c.region_id "
        f"WHERE r.code IN ({', '.join(['%s'] * len(codes))}) "
        f"ORDER BY CASE WHEN c.start <= %s AND c.{ops.quote_name('end')} >= %s THEN 0 ELSE 1 END, c.start DESC, c.id DESC "
        "LIMIT 1", [*codes, day, day])
    return next(iter(found), None)


@dataclass
class Table:
    unit: Organisation
    campaign: Campaign | None
    as_of: datetime.datetime
    values: dict
    auto: set
    latest: Submission | None = None
    lines: list = field(default_factory=list)

    @property
    def campaign_id(self):
        return self.campaign.pk if self.campaign else None

    @property
    def start(self):
        return D.start_datetime(self.campaign.start) if self.campaign else None

    def as_json(self) -> dict:
        return {
            "unit": {"id": self.unit.pk, "name": self.unit.name, "kind": self.unit.kind},
            "campaign": {"id": self.campaign.pk, "name": self.campaign.name, "start": self.campaign.start.isoformat()} if self.campaign else None,
            "as_of": self.as_of.isoformat(),
            "values": {code: self.values.get(code) for code in R.CODES},
            "auto": sorted(self.auto),
            "latest_submission": {"version": self.latest.version, "week": self.latest.week.isoformat(),
                                  "submitted_at": self.latest.submitted_at.isoformat()} if self.latest else None,
        }


def unit_table(unit: Organisation, as_of: datetime.datetime, campaign: Campaign | None = None) -> Table:
    campaign = campaign or campaign_for(unit, as_of)
    values: dict = {}
    latest = None
    if campaign is not None:
        values = D.to_json(D.unit_table(unit, D.start_datetime(campaign.start), as_of))
        latest = Submission.objects.filter(campaign=campaign, unit=unit).order_by("-submitted_at", "-id").first()
    auto = D.auto_codes(unit) & set(values)
    if latest is not None:  # manual rows default to what the unit entered last time
        for code in R.CODES:
            if code not in auto and latest.values.get(code) is not None:
                values.setdefault(code, latest.values[code])
    return Table(unit=unit, campaign=campaign, as_of=as_of, values=values, auto=auto, latest=latest)


LINE_CODES = ("1.1", "1.2", "1.3", "1.4", "2.1", "3.3")  # the figures shown on each unit's line of the roll-up
GROUPS = (
    (Organisation.Kind.COMMITTEE, "下级安委会办公室"),
    (Organisation.Kind.DEPARTMENT, "{level}级部门"),
    (Organisation.Kind.TOWNSHIP, "街道"),
)
LEVEL_NAMES = {"province": "省", "city": "市", "county": "区", "township": "街道"}


def reporting_units(committee: Organisation, campaign: Campaign | None = None) -> list[Organisation]:
    """The units reporting to a committee office, in one statement: the departments of its own
    region, the township offices directly below it and the committee offices of the next level
    down (and, when the campaign names participating units, only those; committee offices always),
    each active. Each carries its ``region`` and ``has_writer``: whether it has an active user who
    can submit (催报 in the platform; otherwise by phone or in writing). Ordered by kind, region
    code and name.

    The next committee offices down are found by their own level codes (``province_code`` …
    ``township_code``, copied from their region; an office's place is its deepest code): an office
    below is the next one down unless another office below sits at one of the places between (a
    province's districts when no city office sits between). Hand-written rather than built by the
    ORM: the roll-up page asks for it on every view and the ORM spent ~6 ms composing the three
    statements this replaces (B1, docs/performance.md)."""
    from accounts.models import Membership
    from regions.models import Region

    region = committee.region
    level = region.level
    deeper = [f"{lv}_code" for lv in REGION_LEVELS[REGION_LEVELS.index(level) + 1:]]

    def place(alias):  # the office's deepest non-empty code (NULL when it has none below the committee)
        codes = [f"NULLIF({alias}.{c}, '')" for c in reversed(deeper)]
        return "NULL" if not codes else codes[0] if len(codes) == 1 else f"COALESCE({', '.join(codes)})"

    below = "{a}.kind = %s AND {a}.is_active AND {a}." + level + "_code = %s AND {a}.region_id <> %s"
    rfields = [f.attname for f in Region._meta.concrete_fields]
    committee_kind = Organisation.Kind.COMMITTEE
    sql = (
        f"SELECT o.*, {', '.join(f'r.{c} AS rg_{c}' for c in rfields)}, "
        "EXISTS (SELECT 1 FROM accounts_membership m JOIN auth_user au ON au.id = m.user_id "
        "WHERE m.organisation_id = o.id AND au.is_active AND m.role <> %s) AS has_writer "
        "FROM accounts_organisation o JOIN regions_region r ON r.id = o.region_id "
        "WHERE o.is_active AND o.id <> %s AND ("
        "(o.kind = %s AND o.region_id = %s) OR (o.kind = %s AND r.parent_id = %s) "
        f"OR ({below.format(a='o')} AND {place('o')} IS NOT NULL AND NOT EXISTS ("
        f"SELECT 1 FROM accounts_organisation o2 WHERE {below.format(a='o2')} "
        f"AND {place('o2')} IN ({', '.join('o.' + c for c in deeper) or 'NULL'}) AND {place('o2')} <> {place('o')})))")
    params = [Membership.Role.VIEWER, committee.pk, Organisation.Kind.DEPARTMENT, region.pk, Organisation.Kind.TOWNSHIP,
              region.pk, committee_kind, region.code, region.pk, committee_kind, region.code, region.pk]
    if campaign is not None:  # only the participating units when the campaign names some
        sql += (" AND (o.kind = %s OR NOT EXISTS (SELECT 1 FROM campaigns_campaign_units cu WHERE cu.campaign_id = %s) "
                "OR EXISTS (SELECT 1 FROM campaigns_campaign_units cu WHERE cu.campaign_id = %s AND cu.organisation_id = o.id))")
        params += [committee_kind, campaign.pk, campaign.pk]
    sql += " ORDER BY o.kind, r.code, o.name"
    units = list(Organisation.objects.raw(sql, params))  # the model's columns converted as the ORM does
    for unit in units:
        Organisation.region.field.set_cached_value(unit, Region.from_db(
            unit._state.db, rfields, [getattr(unit, f"rg_{c}") for c in rfields]))
        unit.has_writer = bool(unit.has_writer)  # SQLite answers 0/1
    return units


def latest_submissions(units, campaign: Campaign, as_of: datetime.datetime) -> dict:
    """{unit id: its latest submission with as_of ≤ the cut-off}."""
    out = {}
    for sub in (Submission.objects.filter(campaign=campaign, unit__in=units, as_of__lte=as_of)
                .order_by("unit_id", "as_of", "version", "id")):
        out[sub.unit_id] = sub
    return out


def first_submitted(campaign: Campaign, unit_ids, week) -> dict:
    """{unit id: when its first version for ``week`` was submitted} — what 迟报 is judged on."""
    out = {}
    for unit_id, at in (Submission.objects.filter(campaign=campaign, unit_id__in=unit_ids, week=week)
                        .order_by("unit_id", "submitted_at").values_list("unit_id", "submitted_at")):
        out.setdefault(unit_id, at)
    return out


def is_late(campaign: Campaign, sub: Submission) -> bool:
    first = first_submitted(campaign, [sub.unit_id], sub.week).get(sub.unit_id, sub.submitted_at)
    return first > campaign.deadline(sub.week)


def rollup(committee: Organisation, as_of: datetime.datetime, campaign: Campaign | None = None) -> dict:
    """Each reporting unit as one line (submitted this week or not, on time or 迟报, its figures),
    each group summed, beside the live de-duplicated recomputation for the whole region."""
    campaign = campaign or campaign_for(committee, as_of)
    if campaign is None:
        return {"campaign": None}
    units = list(reporting_units(committee, campaign))
    week, moment = D.week_of(as_of), timezone.now()
    subs, firsts, done = _submission_facts(campaign, units, as_of, week, D.week_of(moment))
    deadline = campaign.deadline(week)
    groups = {}
    for kind, label in GROUPS:
        members = [u for u in units if u.kind == kind]
        lines = []
        for u in members:
            sub = subs.get(u.pk)
            this_week = sub is not None and sub.week == week
            lines.append({"unit": u, "sub": sub, "this_week": this_week,
                          "late": this_week and firsts.get(u.pk, sub.submitted_at) > deadline,
                          "figures": [(sub.values if sub else {}).get(code) for code in LINE_CODES]})
        tables = [subs[u.pk].values for u in members if u.pk in subs]
        groups[kind] = {"label": label.format(level=LEVEL_NAMES.get(committee.region.level, "")), "units": members, "lines": lines,
                        "submitted": [subs[u.pk] for u in members if u.pk in subs],
                        "values": D.to_json(D.sum_tables(tables))}
    live = D.to_json(D.region_table(committee.region, D.start_datetime(campaign.start), as_of))
    return {"campaign": campaign, "as_of": as_of, "week": week, "level_name": LEVEL_NAMES.get(committee.region.level, "本"), "deadline": deadline, "groups": groups, "live": live,
            "missing": missing_units(committee, campaign, moment, units=units, done=done, writers=False)}


def _submission_facts(campaign: Campaign, units, as_of: datetime.datetime, week, current_week):
    """What the roll-up needs of the units' submissions, read in one statement: each unit's latest
    with a cut-off not after ``as_of`` (``latest_submissions``), when its first version for ``week``
    was submitted (``first_submitted``: 迟报) and which units submitted for ``current_week`` (催报).
    Hand-written (the ORM took three times the statement's own time to compose it)."""
    latest, firsts, done = {}, {}, set()
    if not units:
        return latest, firsts, done
    ops = connection.ops
    weeks = [ops.adapt_datefield_value(w) for w in sorted({week, current_week})]
    subs = Submission.objects.raw(
        f"SELECT * FROM campaigns_submission WHERE campaign_id = %s AND unit_id IN ({', '.join(['%s'] * len(units))}) "
        f"AND (as_of <= %s OR week IN ({', '.join(['%s'] * len(weeks))})) ORDER BY unit_id, as_of, version, id",
        [campaign.pk, *(u.pk for u in units), ops.adapt_datetimefield_value(as_of), *weeks])
    for sub in subs:
        if sub.as_of <= as_of:
            latest[sub.unit_id] = sub
        if sub.week == week and (sub.unit_id not in firsts or sub.submitted_at < firsts[sub.unit_id]):
            firsts[sub.unit_id] = sub.submitted_at
        if sub.week == current_week:
            done.add(sub.unit_id)
    return latest, firsts, done


def missing_units(committee: Organisation, campaign: Campaign, moment: datetime.datetime, *, units=None, done=None,
                  writers: bool = True) -> list:
    """Units that have not submitted for the reporting week of ``moment`` (催报) — every one of them,
    with ``has_writer`` (``reporting_units``) and, unless ``writers`` is False (a page that only
    says which units have no account), ``writers``: who can be reminded in the platform (empty =
    no user account). ``units``: the committee's ``reporting_units`` when the caller already has
    them; ``done``: the ids of those that submitted for that week, when the caller already read them."""
    from accounts.models import Membership

    week = D.week_of(moment)
    units = list(reporting_units(committee, campaign)) if units is None else list(units)
    if done is None:
        done = set(Submission.objects.filter(campaign=campaign, week=week).values_list("unit_id", flat=True))
    missing = [u for u in units if u.pk not in done]
    if not writers:
        return missing
    by_unit: dict = {}
    for m in (Membership.objects.filter(organisation__in=missing, user__is_active=True)
              .exclude(role=Membership.Role.VIEWER).select_related("user").order_by("user__username")):
        by_unit.setdefault(m.organisation_id, []).append(m.user)
    for u in missing:
        u.writers = by_unit.get(u.pk, [])
    return missing


def differences(sub: Submission, table: "Table | None" = None) -> list[dict]:
    """Rows whose live value at the submission's own cut-off differs from the frozen one — facts
    entered after it was submitted but dated on or before its cut-off. The submission never
    changes; the page says the live figures differ. ``table``: the live table the page already
    computed for the same unit, campaign and cut-off (its computed rows are the live values)."""
    if table is not None and (table.unit.pk, table.campaign_id, table.as_of) == (sub.unit_id, sub.campaign_id, sub.as_of):
        live = {code: table.values[code] for code in table.auto}
    else:
        live = D.to_json(D.unit_table(sub.unit, D.start_datetime(sub.campaign.start), sub.as_of))
    auto = D.auto_codes(sub.unit) & set(live)
    out = []
    for row in R.ROWS:
        if row.code in auto and str(live.get(row.code)) != str(sub.values.get(row.code)):
            out.append({"row": row, "submitted": sub.values.get(row.code), "live": live.get(row.code)})
    return out


def lines_for(values: dict, auto: set, blank: set = frozenset()) -> list:
    """Sections → printed lines → cells, ready for the template and the xlsx export. ``blank``:
    rows printed for another kind of unit (shown blank, no input)."""
    out = []
    for key, title in R.SECTIONS.items():
        lines = []
        for line in R.printed_lines(key):
            lines.append([[{"row": r, "value": values.get(r.code), "auto": r.code in auto, "blank": r.code in blank}
                           for r in item] for item in line])
        out.append({"key": key, "title": title, "lines": lines})
    return out


def _text(value) -> str:
    """A value as the template language prints it (localized, escaped)."""
    return conditional_escape(localize(value))


def table_body(sections: list, can_submit: bool) -> str:
    """The rows of the dispatch table (``lines_for``) as HTML, built in one pass: the table is a
    few hundred cells, and rendering them through nested template loops and an include per value
    cost more than computing every number of the page. Labels are those of ``rows``; values are
    printed like the template language would (localized and escaped); 自动 marks computed rows;
    an input box for a row the unit enters by hand when it may submit."""
    out = []
    for section in sections:
        out.append(f'\n  <tr class="table-light"><th colspan="6">{_text(section["title"])}</th></tr>\n  ')
        for line in section["lines"]:
            out.append("<tr>\n    ")
            for item in line:
                first = item[0]["row"]
                label = f"{_text(first.code)} {_text(first.label)}" + "".join(f"，{_text(c['row'].label)}" for c in item[1:])
                remarks = "".join(f'<div class="small text-muted" data-testid="remark-{_text(c["row"].code)}">注：{_text(c["row"].remark)}</div>'
                                  for c in item if c["row"].remark)
                values = []
                for c in item:
                    row, code, value = c["row"], _text(c["row"].code), c["value"]
                    if c["blank"]:
                        inner = f'<span class="text-muted" data-testid="blank-{code}">（行业主管部门填写）</span>'
                    elif c["auto"] or not can_submit:
                        if value is None:
                            shown = '<span class="text-muted">—</span>'
                        elif row.kind == "bool":
                            shown = "是" if value else "否"
                        else:
                            shown = _text(value)
                        inner = f'<span data-testid="value-{code}">{shown}</span>' + (' <span class="badge text-bg-light">自动</span>' if c["auto"] else "")
                    elif row.kind == "bool":  # 是/否: a choice, never the word True typed in a box
                        options = "".join(
                            f'<option value="{v}"{" selected" if chosen else ""}>{text}</option>'
                            for v, text, chosen in (("", "未填", value is None), ("是", "是", value is True),
                                                    ("否", "否", value is False)))
                        inner = (f'<select class="form-select form-select-sm" name="row_{code}" '
                                 f'aria-label="{code}">{options}</select>')
                    else:
                        inner = (f'<input class="form-control form-control-sm" name="row_{code}" '
                                 f'value="{_text(value) if value is not None else ""}" aria-label="{code}">')
                    values.append(f'<div data-code="{code}">{inner}</div>')
                units = "，".join(_text(c["row"].unit) for c in item)
                out.append(f"\n      <td>{label}\n        {remarks}</td>\n      <td>{''.join(values)}</td>\n      <td>{units}</td>\n    ")
            out.append("\n  </tr>")
        out.append("\n")
    return mark_safe("".join(out))  # every piece above is escaped


def _shown(value) -> str:
    """``{{ value|default_if_none:"—" }}``."""
    return "—" if value is None else _text(value)


def rollup_lines_html(data: dict) -> str:
    """The roll-up's line per reporting unit (``rollup``) as HTML in one pass (a province office
    has hundreds of lines): the unit (linked to the submission shown), submitted this week or not,
    on time or 迟报, and its figures (``LINE_CODES``)."""
    from django.urls import reverse

    out = []
    for g in data["groups"].values():
        label = _text(g["label"])
        for line in g["lines"]:
            unit, sub = line["unit"], line["sub"]
            name = _text(unit.name)
            who = f'<a href="{reverse("campaigns:submission", args=[sub.pk])}">{name}</a>' if sub else name
            if line["this_week"]:
                state = f"已报送（第{_text(sub.version)}版）" + (' <span class="badge text-bg-danger" data-testid="late">迟报</span>'
                                                              if line["late"] else ' <span class="badge text-bg-success">按时</span>')
            elif sub:
                state = f'<span class="text-danger">未报送</span>（最近：{_text(sub.week)}）'
            else:
                state = '<span class="text-danger">未报送</span>'
            figures = "".join(f"<td>{_shown(v)}</td>" for v in line["figures"])
            out.append(f'<tr data-testid="line-{_text(unit.pk)}"><td>{label}</td><td>{who}</td>\n<td>{state}</td>\n{figures}</tr>')
    return mark_safe("".join(out))  # every piece above is escaped


def rollup_rows_html(sections: list) -> str:
    """The roll-up table's sections (row, each group's sum, the live recomputation) as HTML."""
    out = []
    for s in sections:
        out.append(f'<tr class="table-light"><th colspan="8">{_text(s["title"])}</th></tr>\n')
        for r in s["rows"]:
            row = r["row"]
            groups = "".join(f"<td>{_shown(v)}</td>" for v in r["groups"])
            out.append(f'<tr><td>{_text(str(row.code or "").split("_", 1)[0])} {_text(row.label)}</td><td>{_text(row.unit)}</td>'
                       f'{groups}<td data-testid="live-{_text(row.code)}">{_shown(r["live"])}</td></tr>')
    return mark_safe("".join(out))  # every piece above is escaped
