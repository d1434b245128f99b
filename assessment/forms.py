from django import forms

from core.forms import StyledForm, chosen_field

from .models import Indicator, IndicatorSet


class SetForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"required": "请填写年度。", "invalid": "请输入年份。", "min_value": "年度无效。",
                                              "max_value": "年度无效。"})
    name = forms.CharField(label="名称", max_length=150, error_messages={"required": "请填写名称。"})


class AdjustForm(StyledForm):
    new_score = forms.DecimalField(label="得分", max_digits=6, decimal_places=2,
                                   error_messages={"required": "请填写得分。", "invalid": "得分须为数字。"})
    reason = forms.CharField(label="理由", max_length=1000, error_messages={"required": "调整得分须说明理由。"})


class DebriefForm(StyledForm):
    leader_name = forms.CharField(label="述职人", max_length=60, error_messages={"required": "请填写述职人。"})
    position = forms.CharField(label="职务", max_length=100, error_messages={"required": "请填写职务。"})
    held_on = forms.DateField(label="述职日期", widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"required": "请填写述职日期。", "invalid": "日期格式不正确。"})
    content = forms.CharField(label="述职内容", widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "请填写述职内容。"})


class IndicatorForm(StyledForm):
    name = forms.CharField(label="指标名称", max_length=100, error_messages={"required": "请填写指标名称。"})
    weight = forms.DecimalField(  # the value implies the digits (IndicatorSet.MAX_TOTAL_WEIGHT: the sum's bound)
        label="分值", decimal_places=2, max_value=IndicatorSet.MAX_TOTAL_WEIGHT,
        error_messages={"required": "请填写分值。", "invalid": "分值须为数字。",
                        "max_value": f"分值不能超过{IndicatorSet.MAX_TOTAL_WEIGHT}分。"})
    kind = chosen_field(label="类型", choices=[("computed", "系统计算"), ("manual", "人工评分")])
    source = forms.ChoiceField(label="数据来源（系统计算）", required=False)
    direction = chosen_field(label="方向", choices=[("higher", "越高越好"), ("lower", "越低越好")])
    bands = forms.CharField(label="评分档次（每行“界值 得分百分比”，按顺序匹配）", required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": "1 100\n0.9 80"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—")] + list(Indicator.Source.choices)

    def clean_bands(self):
        out = []
        for n, line in enumerate((self.cleaned_data.get("bands") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2:
                raise forms.ValidationError(f"第{n}行格式不正确，应为“界值 得分百分比”。")
            try:
                out.append(Indicator.clean_band(*parts))  # finite, within the bounds (also in the service)
            except ValueError as exc:
                raise forms.ValidationError(f"第{n}行{exc}。") from None
        return out
