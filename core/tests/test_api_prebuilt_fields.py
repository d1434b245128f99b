"""core.api.PrebuiltFieldsMixin: fields built once per class, shallow copies bound per instance.
The answer must be the one DRF's own field construction gives, and two serializers alive at once
must not share a bound field."""

import datetime

from rest_framework import serializers

from core.api import PrebuiltFieldsMixin, fresh_field


class _Plain(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    kind = serializers.ChoiceField(choices=[("a", "甲"), ("b", "乙")])
    when = serializers.DateField()
    tags = serializers.ListField(child=serializers.CharField())
    shout = serializers.SerializerMethodField()

    def get_shout(self, obj) -> str:
        return obj["name"].upper() + self.context.get("suffix", "")


class _Prebuilt(PrebuiltFieldsMixin, _Plain):
    pass


ROW = {"name": "ab", "kind": "a", "when": datetime.date(2026, 12, 1), "tags": ["x", "y"]}


def test_same_answer_as_drfs_own_fields():
    assert _Prebuilt(ROW, context={"suffix": "!"}).data == _Plain(ROW, context={"suffix": "!"}).data


def test_two_instances_do_not_share_bound_fields():
    one, two = _Prebuilt(ROW, context={"suffix": "1"}), _Prebuilt(ROW, context={"suffix": "2"})
    f1, f2 = one.fields, two.fields
    for name in f1:
        assert f1[name] is not f2[name] and f1[name].parent is one and f2[name].parent is two
    assert f1["tags"].child is not f2["tags"].child and f1["tags"].child.parent is f1["tags"]  # holders: deep copies
    assert (one.data["shout"], two.data["shout"]) == ("AB1", "AB2")
    assert all(f.parent is None for f in _Prebuilt._prebuilt_fields.values())  # the class's set stays unbound


def test_input_validation_unchanged():
    bad = {"name": "x" * 11, "kind": "c", "when": "tomorrow", "tags": "no"}
    pre, plain = _Prebuilt(data=bad), _Plain(data=bad)
    assert not pre.is_valid() and not plain.is_valid()
    assert pre.errors == plain.errors


def test_fresh_field_copies_holders_deeply():
    field = serializers.ListField(child=serializers.IntegerField())
    copied = fresh_field(field)
    assert copied is not field and copied.child is not field.child
    plain = serializers.CharField(max_length=3)
    copied = fresh_field(plain)
    assert copied is not plain and copied.max_length == 3 and copied.validators == plain.validators

