"""The FilterSet of the organisation list (page and API)."""

import django_filters

from core.listfilters import SearchFilter

from .models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Organisation.Kind.choices, empty_label="全部类型")
    q = SearchFilter(label="名称", fields=("name",))

    class Meta:
        model = Organisation
        fields = ["kind", "q"]
