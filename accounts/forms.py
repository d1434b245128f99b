"""Forms of the organisation pages (competence) and of account administration."""

from django import forms
from django.contrib.auth import password_validation
from django.http import Http404

from core.forms import StyledForm, chosen_field
from core.pickers import PickerSelect
from core.querysets import parse_id

from . import account_rules
from .models import Competence, Membership, Organisation, Sector


class CompetenceForm(StyledForm):
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.filter(is_active=True),
                                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    role = chosen_field(label="职责", choices=Competence.Role.choices,
                        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


# ---------------------------------------------------------------- account administration


def role_choices(org: Organisation | None):
    """The roles offered for a member of ``org`` (every role while the unit is not chosen yet)."""
    if org is None:
        return [("", "—"), *Membership.Role.choices]
    allowed = account_rules.valid_roles(org)
    return [("", "—"), *((value, label) for value, label in Membership.Role.choices if value in allowed)]


class PasswordPairMixin:
    """Two password fields that must agree; the validators run in the service (its Chinese reason
    is shown under the field)."""

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


def _password_field(label):
    return forms.CharField(label=label, strip=False, max_length=128,
                           widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                           error_messages={"required": "请填写密码。"})


class AccountDetailsForm(StyledForm):
    full_name = forms.CharField(label="姓名", max_length=60, error_messages={"required": "请填写姓名。"})
    phone = forms.CharField(label="手机", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False, error_messages={"invalid": "请填写有效的电子邮箱。"})
    title = forms.CharField(label="职务", max_length=60, required=False)
    role = forms.ChoiceField(label="角色", choices=(), error_messages={"required": "请选择角色。",
                                                                      "invalid_choice": "请选择该类单位的角色。"})
    is_inspector = forms.BooleanField(label="执法检查人员（可参与双随机抽取、在检查记录上签名）", required=False)
    inspector_cert = forms.CharField(label="执法证号", max_length=40, required=False)

    def fit(self, org: Organisation | None) -> None:
        """Offer the roles of ``org``'s kind; no inspector fields for enterprises."""
        self.fields["role"].choices = role_choices(org)
        if org is not None and org.kind == Organisation.Kind.ENTERPRISE:
            del self.fields["is_inspector"]
            del self.fields["inspector_cert"]


class AccountCreateForm(PasswordPairMixin, AccountDetailsForm):
    """A new account. The unit is chosen among those the user manages (the picker and the field's
    queryset are both ``account_rules.manageable_organisations``), or fixed by the page (an
    enterprise opened from its own page)."""

    organisation = forms.ModelChoiceField(
        label="单位", queryset=Organisation.objects.none(),
        widget=PickerSelect("account-units", placeholder="输入单位名称搜索"),
        error_messages={"required": "请选择单位。", "invalid_choice": "所选单位不在您的账户管理范围内。"})
    username = forms.CharField(label="登录名", max_length=150, help_text="字母、数字和 @ . + - _，登录时使用，创建后不能修改。",
                               error_messages={"required": "请填写登录名。"})
    password1 = _password_field("初始密码")
    password2 = _password_field("再次输入初始密码")

    field_order = ["organisation", "username", "full_name", "role", "title", "phone", "email", "is_inspector",
                   "inspector_cert", "password1", "password2"]

    def __init__(self, *args, user, unit: Organisation | None = None, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = account_rules.manageable_organisations(user).select_related("region")
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()
        if fixed:
            del self.fields["organisation"]
        elif self.is_bound:  # the roles offered follow the unit actually sent
            raw = self.data.get("organisation", "")
            try:
                unit_id = parse_id(raw)  # ASCII digits only ("²" was a 500)
            except Http404:
                unit_id = None  # beyond any id: names no unit (the field says so)
            unit = self.fields["organisation"].queryset.filter(pk=unit_id).first() if unit_id else None
        self.fit(unit)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {k: data[k] for k in ("username", "full_name", "phone", "email", "title", "role")}
        kwargs["password"] = data["password1"]
        if "is_inspector" in self.fields:
            kwargs.update(is_inspector=data["is_inspector"], inspector_cert=data["inspector_cert"])
        return kwargs


class AccountEditForm(AccountDetailsForm):
    """An existing account: details, role, inspector flag. One's own role and flag are shown, not
    offered (the service refuses them too)."""

    def __init__(self, *args, membership: Membership, own: bool, **kwargs):
        user = membership.user
        initial = {"full_name": user.first_name, "email": user.email, "phone": membership.phone,
                   "title": membership.title, "role": membership.role, "is_inspector": membership.is_inspector,
                   "inspector_cert": membership.inspector_cert}
        super().__init__(*args, initial=initial, **kwargs)
        self.fit(membership.organisation)
        if own:
            for name in ("role", "is_inspector", "inspector_cert"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = "不能修改自己的角色或执法检查人员身份。"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {k: data[k] for k in ("full_name", "phone", "email", "title", "role")}
        if "is_inspector" in self.fields:
            kwargs.update(is_inspector=data["is_inspector"], inspector_cert=data["inspector_cert"])
        return kwargs


class AccountReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。"})


class PasswordResetForm(PasswordPairMixin, StyledForm):
    password1 = _password_field("新密码")
    password2 = _password_field("再次输入新密码")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()
