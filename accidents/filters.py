"""FilterSets of the accident lists (page and API share them)."""

import django_filters

from core.lists import OverdueFilter, SearchFilter

from .models import GRADE_CHOICES, Accident, LessonCheck


class AccidentFilter(django_filters.FilterSet):
    grade = django_filters.ChoiceFilter(label="等级", choices=GRADE_CHOICES, empty_label="全部等级")
    status = django_filters.ChoiceFilter(label="状态", choices=Accident.Status.choices, empty_label="全部状态")
    overdue = OverdueFilter(label="调查超期")
    q = SearchFilter(label="事故单位或地点", fields=("enterprise_name", "place"))

    class Meta:
        model = Accident
        fields = ["grade", "status", "overdue", "q"]


class LessonCheckFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=LessonCheck.Status.choices, empty_label="全部状态")
    q = SearchFilter(label="检查名称", fields=("title",))

    class Meta:
        model = LessonCheck
        fields = ["status", "q"]
