"""Forms for risk points and assessments."""

from django import forms

from core.forms import StyledForm, chosen_field

from .models import Level, Method, RiskPoint


class RiskPointForm(StyledForm):
    code = forms.CharField(label="编号（一点一号）", max_length=40)
    name = forms.CharField(label="风险点名称", max_length=120)
    category = forms.CharField(label="风险类别", max_length=60)
    location = forms.CharField(label="具体位置", max_length=200)
    hazard_factors = forms.CharField(label="危险有害因素", widget=forms.Textarea(attrs={"rows": 3}))
    consequences = forms.CharField(label="可能导致的后果", max_length=200, required=False)
    longitude = forms.DecimalField(label="经度", required=False, min_value=RiskPoint.LONGITUDE_RANGE[0],
                                   max_value=RiskPoint.LONGITUDE_RANGE[1], max_digits=9, decimal_places=6)
    latitude = forms.DecimalField(label="纬度", required=False, min_value=RiskPoint.LATITUDE_RANGE[0],
                                  max_value=RiskPoint.LATITUDE_RANGE[1], max_digits=9, decimal_places=6)
    control_measures = forms.CharField(label="管控措施", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    monitoring = forms.CharField(label="监测监控", max_length=200, required=False)
    review_on = forms.DateField(label="下次评估日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    responsible_unit = forms.CharField(label="责任单位（部门）", max_length=120, required=False)
    responsible_person = forms.CharField(label="责任人", max_length=60, required=False)
    responsible_phone = forms.CharField(label="责任人电话", max_length=20, required=False)
    supervising_department = forms.CharField(label="监管部门及人员", max_length=120, required=False)
    emergency_plan = forms.CharField(label="应急预案", max_length=150, required=False)
    emergency_resources = forms.CharField(label="应急资源", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentForm(StyledForm):
    method = chosen_field(label="方法", choices=Method.choices)
    factor_l = forms.CharField(label="L（可能性）", required=False, max_length=10)
    factor_e = forms.CharField(label="E（暴露频繁程度，LEC）", required=False, max_length=10)
    factor_c = forms.CharField(label="C（后果，LEC）", required=False, max_length=10)
    factor_s = forms.CharField(label="S（严重性，LS）", required=False, max_length=10)
    level = forms.ChoiceField(label="等级（直接判定）", required=False, choices=[("", "—")] + Level.choices)
    reason = forms.CharField(label="判定理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
