"""FilterSets of the accident lists (page and API share them)."""

import django_filters

from core.listfilters import OverdueFilter, SearchFilter, YesNoFilter

from .models import GRADE_CHOICES, Accident, LessonCheck


class AccidentFilter(django_filters.FilterSet):
    grade = django_filters.ChoiceFilter(label="等级", choices=GRADE_CHOICES, empty_label="全部等级")
    status = django_filters.ChoiceFilter(label="状态", choices=Accident.Status.choices, empty_label="全部状态")
    investigating = YesNoFilter(label="在查（已报告、调查中）", method="filter_investigating")
    overdue = OverdueFilter(label="调查超期")
    q = SearchFilter(label="事故单位或地点", fields=("enterprise_name", "place"))

    class Meta:
        model = Accident
        fields = ["grade", "status", "investigating", "overdue", "q"]

    def filter_investigating(self, queryset, name, value):
        if value is None:
            return queryset
        open_ = queryset.open_investigations()
        return open_ if value else queryset.exclude(pk__in=open_.values("pk"))


class LessonCheckFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=LessonCheck.Status.choices, empty_label="全部状态")
    q = SearchFilter(label="检查名称", fields=("title",))

    class Meta:
        model = LessonCheck
        fields = ["status", "q"]
