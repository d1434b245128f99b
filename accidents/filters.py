"""FilterSets of the accident lists (page and API share them)."""

import django_filters

from core.listfilters import OverdueFilter, SearchFilter, YesNoFilter

from .models import GRADE_CHOICES, REPORTABLE_TYPES, Accident, LessonCheck

#: the filter value of reports filed before the type existed (stored as "")
UNSPECIFIED = "unspecified"


class AccidentFilter(django_filters.FilterSet):
    grade = django_filters.ChoiceFilter(label="等级", choices=GRADE_CHOICES, empty_label="全部等级")
    status = django_filters.ChoiceFilter(label="状态", choices=Accident.Status.choices, empty_label="全部状态")
    accident_type = django_filters.ChoiceFilter(label="事故类别", choices=REPORTABLE_TYPES + [(UNSPECIFIED, "未填写")],
                                                empty_label="全部类别", method="filter_accident_type")
    investigating = YesNoFilter(label="在查（已报告、调查中）", method="filter_investigating")
    overdue = OverdueFilter(label="调查超期")
    q = SearchFilter(label="事故单位或地点", fields=("enterprise_name", "place"))

    class Meta:
        model = Accident
        fields = ["grade", "status", "accident_type", "investigating", "overdue", "q"]

    def filter_accident_type(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(accident_type="" if value == UNSPECIFIED else value)

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
