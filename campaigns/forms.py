"""Forms of the campaigns pages."""

from django import forms
from django.utils.timezone import localdate as today

from core import uploads
from core.forms import StyledForm, chosen_field

from .models import Activity


def recordable_kinds():
    """Activity kinds recorded on the activity page. 督导检查 (row 4.8) is recorded once, as an
    inspection visit of kind supervision (inspections), never here — one way per row."""
    return [c for c in Activity.Kind.choices if c[0] != Activity.Kind.SUPERVISION]


class ActivityForm(StyledForm):
    kind = chosen_field(label="类型", choices=recordable_kinds)
    date = forms.DateField(label="日期（活动开展之日，不能晚于今天）", initial=today,
                           widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label="参加人员", required=False)
    summary = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    count = forms.IntegerField(label="人数（技术检查员）", required=False, min_value=0, max_value=Activity.MAX_COUNT)
    attachment = forms.FileField(label="附件（图片/PDF/Word/Excel）", required=False,
                                 validators=[uploads.validator("campaign_attachment")])  # type sniffed by content


WEEKDAY_CHOICES = [(i, name) for i, name in enumerate(("周一", "周二", "周三", "周四", "周五", "周六", "周日"))]


class CampaignForm(StyledForm):
    """专项行动: phases one per line "名称,开始日期,结束日期"; targets one per line "年份:整改率"."""

    name = forms.CharField(label="行动名称", max_length=120)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    first_report_date = forms.DateField(label="首次报送日期", required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    report_weekday = forms.TypedChoiceField(label="每周报送日", choices=WEEKDAY_CHOICES, coerce=int, initial=0)
    report_time = forms.TimeField(label="报送截止时间", initial="12:00", widget=forms.TimeInput(attrs={"type": "time"}))
    phases = forms.CharField(label="阶段（每行：名称,开始日期,结束日期）", required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    targets = forms.CharField(label="整改率目标（每行：年份:百分比）", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(label="参加单位（不选则为全部下级单位）", queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean_phases(self):
        import datetime

        out = []
        for n, line in enumerate((self.cleaned_data.get("phases") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                name, start, end = parts
                out.append((name, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)))
            except ValueError:
                raise forms.ValidationError(f"第{n}行格式应为：名称,2026-01-01,2026-03-31")
        return out

    def clean_targets(self):
        from decimal import Decimal, InvalidOperation

        out = {}
        for n, line in enumerate((self.cleaned_data.get("targets") or "").splitlines(), 1):
            if not line.strip():
                continue
            year, _, rate = line.replace("：", ":").partition(":")
            try:
                value = Decimal(rate.strip().rstrip("%"))
            except InvalidOperation:
                raise forms.ValidationError(f"第{n}行格式应为：2026:95")
            if not year.strip().isdigit() or not 0 <= value <= 100:
                raise forms.ValidationError(f"第{n}行格式应为：2026:95（整改率0–100）")
            out[year.strip()] = {"rectification_rate": int(value) if value == int(value) else float(value)}
        return out

    @staticmethod
    def initial_for(campaign) -> dict:
        return {"name": campaign.name, "start": campaign.start, "end": campaign.end,
                "first_report_date": campaign.first_report_date, "report_weekday": campaign.report_weekday,
                "report_time": campaign.report_time,
                "phases": "\n".join(f"{p.name},{p.start},{p.end}" for p in campaign.phases.all()),
                "targets": "\n".join(f"{y}:{t.get('rectification_rate')}" for y, t in (campaign.targets or {}).items()),
                "units": list(campaign.units.values_list("pk", flat=True))}
