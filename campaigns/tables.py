"""A unit's dispatch table as shown, exported and submitted: live values + the latest submission,
and the committee office's roll-up."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation

from . import dispatch as D
from . import rows as R
from .models import Campaign, Submission


def campaign_for(unit: Organisation, as_of: datetime.datetime, campaign_id=None) -> Campaign | None:
    qs = Campaign.objects.all()
    if campaign_id:
        return qs.filter(pk=campaign_id).first()
    day = timezone.localtime(as_of).date()
    found = qs.covering(unit.region, day).order_by("-start").first()
    if found is None:  # after the end or before the start: the latest campaign of the region
        codes = [*unit.region.ancestor_codes(), unit.region.code]
        found = qs.filter(region__code__in=codes).order_by("-start").first()
    return found


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


def reporting_units(committee: Organisation, campaign: Campaign | None = None):
    """Departments and township offices under a committee office's region (and the campaign's units)."""
    region = committee.region
    qs = Organisation.objects.filter(is_active=True, kind__in=(Organisation.Kind.DEPARTMENT, Organisation.Kind.TOWNSHIP))
    qs = qs.filter(**{f"{region.level}_code": region.code}).exclude(pk=committee.pk)
    if campaign is not None and campaign.units.exists():
        qs = qs.filter(Q(pk__in=campaign.units.values("pk")))
    return qs.select_related("region").order_by("kind", "region__code", "name")


def latest_submissions(units, campaign: Campaign, as_of: datetime.datetime) -> dict:
    """{unit id: its latest submission with as_of ≤ the cut-off}."""
    out = {}
    for sub in (Submission.objects.filter(campaign=campaign, unit__in=units, as_of__lte=as_of)
                .order_by("unit_id", "as_of", "version", "id")):
        out[sub.unit_id] = sub
    return out


def rollup(committee: Organisation, as_of: datetime.datetime, campaign: Campaign | None = None) -> dict:
    campaign = campaign or campaign_for(committee, as_of)
    if campaign is None:
        return {"campaign": None}
    units = list(reporting_units(committee, campaign))
    subs = latest_submissions(units, campaign, as_of)
    groups = {}
    for kind, label in ((Organisation.Kind.DEPARTMENT, "区级部门"), (Organisation.Kind.TOWNSHIP, "街道（乡镇）")):
        members = [u for u in units if u.kind == kind]
        tables = [subs[u.pk].values for u in members if u.pk in subs]
        groups[kind] = {"label": label, "units": members, "submitted": [subs[u.pk] for u in members if u.pk in subs],
                        "values": D.to_json(D.sum_tables(tables))}
    live = D.to_json(D.region_table(committee.region, D.start_datetime(campaign.start), as_of))
    return {"campaign": campaign, "as_of": as_of, "groups": groups, "live": live,
            "missing": missing_units(committee, campaign, timezone.now())}


def missing_units(committee: Organisation, campaign: Campaign, moment: datetime.datetime) -> list:
    """Units that have not submitted for the reporting week of ``moment`` (催报)."""
    week = D.week_of(moment)
    units = list(reporting_units(committee, campaign))
    done = set(Submission.objects.filter(campaign=campaign, week=week).values_list("unit_id", flat=True))
    return [u for u in units if u.pk not in done]


def differences(sub: Submission) -> list[dict]:
    """Rows whose live value at the submission's own cut-off differs from the frozen one — facts
    entered after it was submitted but dated on or before its cut-off. The submission never
    changes; the page says the live figures differ."""
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
