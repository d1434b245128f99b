from django import forms


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")


class SetForm(_Styled):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"required": "请填写年度。", "invalid": "请输入年份。", "min_value": "年度无效。",
                                              "max_value": "年度无效。"})
    name = forms.CharField(label="名称", max_length=150, error_messages={"required": "请填写名称。"})


class AdjustForm(_Styled):
    new_score = forms.DecimalField(label="得分", max_digits=6, decimal_places=2,
                                   error_messages={"required": "请填写得分。", "invalid": "得分须为数字。"})
    reason = forms.CharField(label="理由", max_length=1000, error_messages={"required": "调整得分须说明理由。"})


class DebriefForm(_Styled):
    leader_name = forms.CharField(label="述职人", max_length=60, error_messages={"required": "请填写述职人。"})
    position = forms.CharField(label="职务", max_length=100, error_messages={"required": "请填写职务。"})
    held_on = forms.DateField(label="述职日期", widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"required": "请填写述职日期。", "invalid": "日期格式不正确。"})
    content = forms.CharField(label="述职内容", widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "请填写述职内容。"})
