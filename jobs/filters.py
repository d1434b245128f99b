"""The FilterSet of "my jobs"."""

import django_filters

from core.listfilters import SearchFilter

from .models import Job


class JobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Job.Status.choices, empty_label="全部状态")
    q = SearchFilter(label="名称", fields=("title",))

    class Meta:
        model = Job
        fields = ["status", "q"]
