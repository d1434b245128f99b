"""The hazard API's input serializers build their fields once per class (core.api.PrebuiltFieldsMixin:
DRF deep-copies every declared field for every request otherwise, ~0.4 ms for the registration).
What they accept and the errors they answer stay those of DRF's own per-instance fields."""

import pytest
from rest_framework import serializers

from core.api import PrebuiltFieldsMixin
from hazards.api import ACTION_SERIALIZERS, HazardCreateSerializer
from hazards.api_detail import UploadSerializer

INPUTS = [HazardCreateSerializer, UploadSerializer, *ACTION_SERIALIZERS.values()]


def _plain(cls):
    """``cls`` with DRF's own field construction (a deep copy of the declared fields per instance)."""
    return type(f"Plain{cls.__name__}", (cls,), {"get_fields": serializers.Serializer.get_fields})


@pytest.mark.parametrize("cls", INPUTS, ids=lambda c: c.__name__)
def test_every_input_serializer_builds_its_fields_once_per_class(cls):
    assert issubclass(cls, PrebuiltFieldsMixin)
    one, two = cls(data={}), cls(data={})
    assert list(one.fields) == list(two.fields) == list(_plain(cls)(data={}).fields)
    assert all(one.fields[name] is not two.fields[name] and one.fields[name].parent is one for name in one.fields)
    assert all(field.parent is None for field in cls._prebuilt_fields.values())


BAD = {"mode": "fly", "opinion": ["x"], "reason": "", "new_deadline": "tomorrow", "approve": "maybe",
       "into": "abc", "deadline": "31/01/2030", "funds_amount": "-3", "evidence_note": None, "to_congress": "perhaps",
       "grade": "huge", "sector": "no-such-sector", "description": "", "found_on": "x", "kind": "nope"}


@pytest.mark.django_db
@pytest.mark.parametrize("cls", [c for c in INPUTS if c not in (HazardCreateSerializer,)], ids=lambda c: c.__name__)
def test_the_errors_are_those_of_drfs_own_fields(cls, world):
    context = {"request": None, "hazard": None}
    pre, plain = cls(data=BAD, context=context), _plain(cls)(data=BAD, context=context)
    assert pre.is_valid() == plain.is_valid()
    assert pre.errors == plain.errors
