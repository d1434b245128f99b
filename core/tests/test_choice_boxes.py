"""No required select box takes its answer from the first entry the browser shows selected: a box
whose value goes on record starts on "请选择" and refuses none chosen (``core.forms.chosen_field``),
unless the form gives it a value to start from (``initial``) or its first entry is the neutral
state written below with its reason. Before, 18 boxes defaulted to their first entry: a visit's and
an activity's 类型 (each counted in its own row of the weekly 调度表), 曝光 for a measure, 约谈 for a
notice, 主要负责人 for a party (its fine's range), 现场验收 for an acceptance, 日常检查 for an
inspection, 电工作业 for a special worker — one click on 提交 put them on record.

The walk is the one of core/tests/test_text_bounds.py: every form class of the project's modules."""

from django import forms

from .test_text_bounds import _project_forms

#: boxes whose first entry is a neutral state, not a fact: (form, field) → why
NEUTRAL = {
    ("inspections.forms.ItemForm", "result"): "未检查: an item of the checklist not checked yet",
    ("inspections.forms.FindingForm", "result"): "未检查: an item of the checklist not checked yet",
}


def _first_value(field):
    if isinstance(field, forms.ModelChoiceField):
        return "" if field.empty_label is not None else "first row"
    choices = list(field.choices)
    return choices[0][0] if choices else ""


def defaulted_boxes():
    out = []
    for cls in _project_forms():
        if cls.__module__.endswith(".admin"):
            continue
        for name, field in cls.base_fields.items():
            if not isinstance(field, forms.ChoiceField) or isinstance(field, (forms.MultipleChoiceField,
                                                                              forms.ModelMultipleChoiceField)):
                continue
            if not isinstance(field.widget, forms.Select) or isinstance(field.widget, forms.NullBooleanSelect):
                continue
            if not field.required or field.initial is not None:
                continue
            if _first_value(field) in ("", None):
                continue
            key = (f"{cls.__module__}.{cls.__name__}", name)
            if key not in NEUTRAL:
                out.append(f"{key[0]}.{name} ({field.label})")
    return sorted(out)


def test_no_required_box_of_any_form_starts_on_a_fact_of_its_own():
    assert len(list(_project_forms())) > 100, "the walk found too few forms to prove anything"
    assert defaulted_boxes() == []


def test_the_boxes_made_to_be_chosen_start_on_a_choice_and_refuse_none():
    from campaigns.forms import ActivityForm
    from enforcement.forms import MeasureForm, PartyForm
    from hazards.actions import AcceptForm, RejectForm
    from inspections.forms import RecordForm, VisitForm

    for cls, name, label in ((VisitForm, "kind", "类型"), (ActivityForm, "kind", "类型"), (MeasureForm, "kind", "措施"),
                             (PartyForm, "role", "身份"), (AcceptForm, "mode", "验收方式"), (RejectForm, "mode", "验收方式"),
                             (RecordForm, "kind", "检查类型")):
        field = cls.base_fields[name]
        assert list(field.choices)[0] == ("", "请选择"), (cls, name)
        html = field.widget.render(name, None)
        assert '<option value="" selected>请选择</option>' in html and html.count("selected") == 1
        try:
            field.clean("")
        except forms.ValidationError as refused:
            assert refused.messages == [f"请选择{label}。"]
        else:
            raise AssertionError(f"{cls.__name__}.{name} took no answer")
