"""``core.api.VisibleRecordField``, the one field for the id of a record in the caller's scope: an
id out of scope or of nothing is a 404 (as opening the record would be), never DRF's 400 "invalid
pk"; what is no id at all is a 400 naming the field in Chinese. Each endpoint's matrix is in its
app's tests (test_api_scope_ids.py)."""

import pytest
from django.http import Http404
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from core.api import MAX_ID, VisibleRecordField
from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


class Body(serializers.Serializer):
    enterprise = VisibleRecordField(Enterprise, "单位")
    optional = VisibleRecordField(Enterprise, "单位", required=False, allow_null=True)
    many = VisibleRecordField(Enterprise, "单位", many=True, required=False)


def _body(world, persona, data):
    request = APIRequestFactory().post("/")
    request.user = world.user(persona)
    return Body(data=data, context={"request": request})


@pytest.mark.parametrize("value", ["own", "own_text", "own_padded"])
def test_an_id_in_scope_is_the_record(world, value):
    pk = world.ent_commerce.pk
    raw = {"own": pk, "own_text": str(pk), "own_padded": f" {pk} "}[value]
    body = _body(world, "commerce", {"enterprise": raw, "many": [pk, str(pk)]})
    assert body.is_valid(), body.errors
    assert body.validated_data["enterprise"] == world.ent_commerce
    assert body.validated_data["many"] == [world.ent_commerce, world.ent_commerce]


@pytest.mark.parametrize("what", ["other_sector", "other_region", "other_enterprise", "missing", "beyond_any_id"])
def test_an_id_out_of_scope_or_of_nothing_is_404(world, what):
    persona, pk = {
        "other_sector": ("commerce", world.ent_construction.pk),
        "other_region": ("commerce", world.ent_other_region.pk),
        "other_enterprise": ("enterprise", world.ent_construction.pk),
        "missing": ("commerce", 99999999),
        "beyond_any_id": ("commerce", str(MAX_ID + 1)),
    }[what]
    for data in ({"enterprise": pk}, {"enterprise": world.ent_commerce.pk, "optional": pk},
                 {"enterprise": world.ent_commerce.pk, "many": [world.ent_commerce.pk, pk]}):
        with pytest.raises(Http404):
            _body(world, persona, data).is_valid()


@pytest.mark.parametrize("value", ["abc", " ", "0", "-3", 0, -3, 1.5, "1.0", True, "１２", [1], {"id": 1}])
def test_what_is_no_id_is_400_naming_the_field_in_chinese(world, value):
    body = _body(world, "commerce", {"enterprise": value})
    assert not body.is_valid()
    assert list(body.errors) == ["enterprise"]
    assert str(body.errors["enterprise"][0]) == "须为单位的编号（正整数 id）。"


@pytest.mark.parametrize("data", [{}, {"enterprise": None}, {"enterprise": ""}])
def test_missing_blank_or_null_is_400_naming_the_field_in_chinese(world, data):
    body = _body(world, "commerce", data)
    assert not body.is_valid() and list(body.errors) == ["enterprise"]
    assert str(body.errors["enterprise"][0]) == "须填写单位 id。"


def test_null_is_taken_where_allowed(world):
    body = _body(world, "commerce", {"enterprise": world.ent_commerce.pk, "optional": None})
    assert body.is_valid() and body.validated_data["optional"] is None


def test_the_help_text_says_the_404():
    field = Body().fields["enterprise"]
    assert field.help_text == "单位 id；不在管辖范围内（或不存在）的单位为 404"
    draw = VisibleRecordField(Enterprise, "抽取", help_text="按抽取结果检查时")
    assert draw.help_text == "按抽取结果检查时；不在管辖范围内（或不存在）的抽取为 404"
