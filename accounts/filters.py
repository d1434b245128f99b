"""The FilterSets of the organisation list (page and API) and of the account list."""

import django_filters

from core.listfilters import RequestScopedFilterSet, SearchFilter, YesNoFilter
from core.pickers import PickerSelect

from . import account_rules
from .models import Membership, Organisation


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Organisation.Kind.choices, empty_label="全部类型")
    q = SearchFilter(label="名称", fields=("name",))

    class Meta:
        model = Organisation
        fields = ["kind", "q"]


def _manageable_units(request):
    return account_rules.manageable_organisations(getattr(request, "user", None))


class AccountFilter(RequestScopedFilterSet):
    """Accounts (memberships) the user manages: by name, unit, kind of unit, role, enabled or not."""

    q = SearchFilter(label="姓名或登录名", fields=("user__first_name", "user__username"))
    organisation = django_filters.ModelChoiceFilter(
        label="单位", queryset=_manageable_units, widget=PickerSelect("account-units", placeholder="输入单位名称搜索"),
        error_messages={"invalid_choice": "所选单位不在您的账户管理范围内。"})
    kind = django_filters.ChoiceFilter(label="单位类型", field_name="organisation__kind", choices=Organisation.Kind.choices,
                                       empty_label="全部类型")
    role = django_filters.ChoiceFilter(label="角色", choices=Membership.Role.choices, empty_label="全部角色")
    active = YesNoFilter(label="已启用", field_name="user__is_active")

    class Meta:
        model = Membership
        fields = ["q", "organisation", "kind", "role", "active"]
