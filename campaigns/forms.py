"""Forms of the campaigns pages."""

from django import forms

from core import uploads

from .models import Activity


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Activity.Kind.choices, widget=forms.Select(attrs={"class": "form-select"}))
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    participants = forms.CharField(label="参加人员", required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    summary = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    count = forms.IntegerField(label="人数（技术检查员）", required=False, min_value=0, widget=forms.NumberInput(attrs={"class": "form-control"}))
    attachment = forms.FileField(label="附件（图片/PDF/Word/Excel）", required=False,
                                 widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
                                 validators=[uploads.validator("campaign_attachment")])  # type sniffed by content
