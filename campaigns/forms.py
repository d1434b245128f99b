"""Forms of the campaigns pages."""

from django import forms
from django.utils.timezone import localdate as today

from .models import Activity


def recordable_kinds():
    """Activity kinds recorded on the activity page. 督导检查 (row 4.8) is recorded once, as an
    inspection visit of kind supervision (inspections), never here — one way per row."""
    return [c for c in Activity.Kind.choices if c[0] != Activity.Kind.SUPERVISION]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=recordable_kinds, widget=forms.Select(attrs={"class": "form-select"}))
    date = forms.DateField(label="日期（活动开展之日，不能晚于今天）", initial=today,
                           widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    participants = forms.CharField(label="参加人员", required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    summary = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    count = forms.IntegerField(label="人数（技术检查员）", required=False, min_value=0, widget=forms.NumberInput(attrs={"class": "form-control"}))
    attachment = forms.FileField(label="附件", required=False, widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
